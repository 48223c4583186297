// The editor's own words in Chinese (EditorState.phrases): search panel, lint panel, completion.
export const PHRASES = {
  "Find": "查找", "Replace": "替换", "next": "下一个", "previous": "上一个", "all": "全部",
  "match case": "区分大小写", "by word": "全词匹配", "regexp": "正则表达式", "replace": "替换",
  "replace all": "全部替换", "close": "关闭", "current match": "当前匹配", "on line": "在行",
  "Go to line": "转到行", "go": "转到", "Diagnostics": "诊断", "No diagnostics": "没有问题",
  "Completions": "补全", "Folded lines": "折叠的行", "Unfolded lines": "展开的行", "to": "到",
  "folded code": "折叠的代码", "unfold": "展开", "Fold line": "折叠行", "Unfold line": "展开行",
  "Control character": "控制字符", "Selection deleted": "已删除选中内容",
  "$ unchanged lines": "$ 行未改动（点击展开）", "Accept": "接受", "Reject": "拒绝",
  "Revert this chunk": "取用左边的这一段",
};
