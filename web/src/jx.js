// The .jx language for CodeMirror: a StreamLanguage tokenizer mirroring the terminals of
// grammars/ruleset.lark. The keyword lists come from the server (/v1/vocabulary, read from the grammar),
// so there is one source of truth. It only colours text; everything semantic comes from /v1/check.
import { StreamLanguage } from "@codemirror/language";

const NAME = /^[\p{L}][\p{L}\p{N}_·]*/u;
const NUMBER = /^[0-9０-９]+(?:[.．][0-9０-９]+)?(?:[%％‰]|[万亿千百]?[\p{L}/·]*)?/u;
const STRING = /^(?:"[^"\n]*"|“[^”\n]*”|「[^」\n]*」)/;
const OPERATOR = /^(?:>=|<=|==|!=|->|[≥≧≤≦≠=＝><＞＜+＋\-－−*×＊÷/／→:：|｜、,，])/;
const BRACKET = /^[{}｛｝()（）[\]]/;

const escape = (word) => word.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

export function jxLanguage(vocabulary) {
  const keywords = [...new Set([].concat(...vocabulary.keywords.map((k) => k.words)))].sort((a, b) => b.length - a.length);
  // A keyword is a keyword only when no letter follows (目标 but not 目标值), as in the grammar.
  const KEYWORD = new RegExp(`^(?:${keywords.map(escape).join("|")})(?![\\p{L}])`, "u");
  const atoms = new Set([...vocabulary.methods, ...vocabulary.rounding, ...vocabulary.functions]);
  return StreamLanguage.define({
    name: "jx",
    token(stream) {
      if (stream.eatSpace()) return null;
      if (stream.match(/^#.*/)) return "comment";
      if (stream.match(STRING)) return "string";
      if (stream.match(KEYWORD)) return "keyword";
      if (stream.match(NUMBER)) return "number";
      if (stream.match(NAME)) return atoms.has(stream.current()) ? "atom" : "variableName";
      if (stream.match(OPERATOR)) return "operator";
      if (stream.match(BRACKET)) return "bracket";
      stream.next();
      return null;
    },
    languageData: { commentTokens: { line: "#" }, closeBrackets: { brackets: ["(", "{", '"', "「", "（", "["] } },
  });
}
