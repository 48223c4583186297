"""Rulesets at git revisions, compared without checking anything out.

`git ls-tree` lists a revision's .jx files and `git cat-file --batch` reads them (as
`git show REV:path` would) into a temporary folder laid out like the repository, so
each file's policies (采用) resolve as they did at that revision. The working tree
and the index are never touched. Files are shown as git names them: ``HEAD~1:rules/p01.jx``.

Only the `git` command is needed, when it is installed; without it, or outside a
repository, or for an unknown revision, the error says so (E702–E704).
"""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from jixiao.diagnostics import JixiaoError, Span
from jixiao.engine.actuals import ActualsFile
from jixiao.engine.resolve import Rules, Ruleset, resolve_text
from jixiao.engine.roots import Folder, Roots
from jixiao.folders import leads_inside, outside_warnings
from jixiao.language import nodes as n
from jixiao.messages import Lang
from jixiao.source import read_text
from jixiao.tools.compare.folders import Batch, diff_sides
from jixiao.tools.compare.model import Report
from jixiao.tools.compare.names import Names
from jixiao.tools.compare.pair import compare_rulesets
from jixiao.tools.compare.projects import PLAIN_READING, Loaded, Reading, load_side

WORKING_TREE = None  # the newer side when only one revision is given
WORKING_LABEL = ("工作区", "working tree")
NO_FILE = "/dev/null"  # git's name for the missing side of an added or deleted file


@dataclass(frozen=True)
class Repository:
    root: Path
    cwd: Path

    def git(self, *args: str, stdin: bytes | None = None, rev: str = "") -> bytes:
        """Run git in the repository; E702 when there is no git command."""
        executable = shutil.which("git")
        if executable is None:
            raise JixiaoError.single("E702", Span.of_path(rev or "git"), rev=rev)
        done = subprocess.run(
            [executable, *args], cwd=self.root, input=stdin, capture_output=True, check=False
        )
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise JixiaoError.single(
                "E704", Span.of_path(rev or "git"), rev=rev, detail=detail[0] if detail else args[0]
            )
        return done.stdout


def repository(cwd: Path, rev: str) -> Repository:
    """The repository around `cwd` (E703 outside one, E702 without git)."""
    executable = shutil.which("git")
    if executable is None:
        raise JixiaoError.single("E702", Span.of_path(rev or "git"), rev=rev)
    done = subprocess.run(
        [executable, "rev-parse", "--show-toplevel"], cwd=cwd, capture_output=True, check=False, text=True
    )
    if done.returncode != 0:
        raise JixiaoError.single("E703", Span.of_path(str(cwd)), path=str(cwd))
    return Repository(Path(done.stdout.strip()).resolve(), cwd.resolve())


def revision_files(repo: Repository, rev: str) -> dict[str, str]:
    """The .jx files of a revision: repository-relative path → blob id (E704 for an unknown revision)."""
    repo.git("rev-parse", "--verify", f"{rev}^{{commit}}", rev=rev)
    listing = repo.git("ls-tree", "-r", "-z", "--full-tree", rev, rev=rev).decode("utf-8", "surrogateescape")
    files: dict[str, str] = {}
    for entry in filter(None, listing.split("\0")):
        meta, _, path = entry.partition("\t")
        _mode, kind, blob = meta.split()
        if kind == "blob" and path.endswith(".jx"):
            files[path] = blob
    return files


def write_revision(repo: Repository, rev: str, files: dict[str, str], folder: Path) -> None:
    """The files' contents at `rev`, written under `folder` with the repository's layout."""
    if not files:
        return
    request = "".join(f"{blob}\n" for blob in files.values()).encode("ascii")
    out = repo.git("cat-file", "--batch", stdin=request, rev=rev)
    position = 0
    for path in files:
        header_end = out.index(b"\n", position)
        size = int(out[position:header_end].split()[2])
        body = out[header_end + 1 : header_end + 1 + size]
        position = header_end + 1 + size + 1
        target = folder / PurePosixPath(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(body)


def working_files(repo: Repository) -> tuple[list[str], list[Path]]:
    """The working tree's .jx files git knows or would add (tracked or untracked, not ignored), and the
    links among them that lead out of the repository: never read (W130, folders.py)."""
    listing = repo.git(
        "ls-files", "-z", "--cached", "--others", "--exclude-standard", "--full-name", "--", ":/"
    )
    names = listing.decode("utf-8", "surrogateescape").split("\0")
    files = sorted({n for n in names if n.endswith(".jx") and (repo.root / n).is_file()})
    outside = {
        n for n in files if (repo.root / n).is_symlink() and not leads_inside(repo.root / n, repo.root)
    }
    return [n for n in files if n not in outside], [repo.root / n for n in sorted(outside)]


def _scope(repo: Repository, paths: Sequence[str]) -> list[str]:
    """Repository-relative prefixes of the paths asked for ("" for the whole repository)."""
    out = []
    for path in paths or [str(repo.root)]:
        resolved = (repo.cwd / path).resolve()
        if not resolved.is_relative_to(repo.root):
            raise JixiaoError.single("E703", Span.of_path(path), path=path)
        rel = resolved.relative_to(repo.root).as_posix()
        out.append("" if rel == "." else rel)
    return out


def _selected(files: Sequence[str], prefix: str) -> list[str]:
    return [f for f in files if not prefix or f == prefix or f.startswith(prefix.rstrip("/") + "/")]


def diff_revisions(
    revs: Sequence[str],
    paths: Sequence[str] = (),
    actuals: Sequence[str | Path] = (),
    lang: Lang = "zh",
    single: bool = True,
    cwd: Path | None = None,
    reading: Reading = PLAIN_READING,
) -> Report | Batch:
    """`revs[0]` against `revs[1]` (or the working tree); `single`: one file's own report for PATH a file."""
    old_rev, new_rev = revs[0], (revs[1] if len(revs) > 1 else WORKING_TREE)
    repo = repository(cwd or Path.cwd(), old_rev)
    with tempfile.TemporaryDirectory(prefix="jixiao-rev-") as temp:
        folders = {old_rev: Path(temp) / "old"}
        if new_rev is not None:
            folders[new_rev] = Path(temp) / "new"
        names = Names({folder: f"{rev}:" for rev, folder in folders.items()})
        old_files, (new_files, outside) = (
            _side(repo, old_rev, folders[old_rev]),
            _new_side(repo, new_rev, folders),
        )
        scopes = _scope(repo, paths)
        chosen = [(_selected(old_files, s), _selected(new_files, s)) for s in scopes]
        for path, (a, b) in zip(paths, chosen, strict=False):
            if not a and not b:
                raise JixiaoError.single("E709", Span.of_path(path), rev=old_rev, path=path)
        olds = sorted({f for a, _ in chosen for f in a})
        news = sorted({f for _, b in chosen for f in b})
        old_root = folders[old_rev]
        new_root = folders[new_rev] if new_rev is not None else repo.root
        sides = (
            load_side(old_root, names, [old_root / f for f in olds], _at(reading, repo, old_root, scopes)),
            load_side(new_root, names, [new_root / f for f in news], _at(reading, repo, new_root, scopes)),
        )
        labels = (old_rev, new_rev or (WORKING_LABEL[0] if lang == "zh" else WORKING_LABEL[1]))
        one = len(paths) == 1 and len(olds) == len(news) == 1 and olds == news == [scopes[0]]
        try:
            if single and one and not any(Path(a).is_dir() for a in actuals):
                return _one_file(sides, names, lang, [reading.actuals(a) for a in actuals])
            skipped = outside_warnings(outside, lambda link: link.relative_to(repo.root).as_posix())
            batch = diff_sides(sides, labels, actuals, lang, names, "revisions", reading, skipped)
        except JixiaoError as exc:  # named as git names the files, with their excerpts (read before the
            named = names.error(exc)  # temporary copies go with the folder)
            named.sources.update({**exc.sources, **names.sources(named.diagnostics)})
            raise named from None
        return dataclasses.replace(batch, sources=names.sources(batch.diagnostics))


def _at(reading: Reading, repo: Repository, top: Path, scopes: Sequence[str]) -> Reading:
    """How a revision's tree (or the working tree) is read: after the tree's top (`load_side` puts it
    first), each folder asked for is a root there, as a compared folder is; a `--root` inside the
    repository is the same folder of that tree (never the working tree's copy, which may hold another
    version of the policy); one outside the repository stays as it is."""
    folders = [Folder.of(top / scope) for scope in scopes if scope and (top / scope).is_dir()]
    for folder in reading.roots.folders:
        inside = folder.real.is_relative_to(repo.root)
        folders.append(Folder.of(top / folder.real.relative_to(repo.root)) if inside else folder)
    unique: dict[Path, Folder] = {}
    for folder in folders:
        unique.setdefault(folder.real, folder)
    return dataclasses.replace(reading, roots=Roots(tuple(unique.values())))


def _side(repo: Repository, rev: str, folder: Path) -> list[str]:
    files = revision_files(repo, rev)
    write_revision(repo, rev, files, folder)
    return sorted(files)


def _new_side(repo: Repository, rev: str | None, folders: dict[str, Path]) -> tuple[list[str], list[Path]]:
    """The new side's .jx files, and (the working tree's) links leading out of the repository."""
    return working_files(repo) if rev is None else (_side(repo, rev, folders[rev]), [])


def _one_file(
    sides: tuple[list[Loaded], list[Loaded]], names: Names, lang: Lang, actuals: Sequence[ActualsFile]
) -> Report:
    old, new = sides[0][0], sides[1][0]
    for side in (old, new):
        if side.error is not None:
            raise side.error
    assert old.ruleset is not None and new.ruleset is not None
    return compare_rulesets(old.ruleset, new.ruleset, actuals, lang, names)


# -- git's external diff convention ------------------------------------------------------------------


def external_diff(args: Sequence[str], lang: Lang = "zh", roots: Roots | None = None) -> Report:
    """`jixiao diff --git PATH OLD-FILE OLD-HEX OLD-MODE NEW-FILE NEW-HEX NEW-MODE [NEW-PATH INFO]`.

    git passes its temporary copies of both versions; they are read as if they were at PATH (and
    NEW-PATH after a rename), so policies resolve from the working tree (git runs the driver at its
    top, which is then a root too, like a revision's tree for `--rev`), then `roots`. An added or
    deleted file is compared with an empty ruleset of the same kind. Messages name each version as the
    report does, `a/PATH` and `b/NEW-PATH`, with the excerpt from that version (`error.sources`); a
    version git passes as the working tree's file itself (the new side of `git diff`) keeps its own name.
    """
    roots = (roots or Roots()).with_first(Folder.of("."))
    if len(args) not in (7, 9):
        raise JixiaoError.single("E705", Span.of_path("git"), count=len(args))
    path, old_file, new_file = args[0], args[1], args[4]
    new_path = args[7] if len(args) == 9 else path
    new = _version(new_file, new_path, None, roots, "b")
    old = _version(old_file, path, new, roots, "a")
    new = new if new is not None else _empty(old, new_path)
    assert old is not None
    report = compare_rulesets(old, new, (), lang)
    return report.model_copy(update={"old": f"a/{path}", "new": f"b/{new_path}"})


def _version(file: str, path: str, other: Ruleset | None, roots: Roots, side: str) -> Ruleset | None:
    if file == NO_FILE:
        return None if other is None else _empty(other, path)
    name = path if file == path else f"{side}/{path}"  # a temporary copy: named as the report names it
    return resolve_text(read_text(file), name, roots, Path(path))  # its policies: as if at PATH


def _empty(other: Ruleset | None, path: str) -> Ruleset:
    kind = other.document.kind if other is not None else "project"
    return Ruleset(n.Document(kind, "", None, ()), Rules(), path)
