#include "compiler/sema/table_data.h"

#include <fstream>
#include <set>
#include <sstream>

#include "stdlib/reference_data.h"
#include "vm/value/scalar.h"

namespace daliz {

std::vector<std::string> splitCsvLine(std::string_view line, std::vector<uint32_t>* offsets) {
  std::vector<std::string> cells;
  std::string cell;
  bool quoted = false;
  uint32_t start = 0;
  for (size_t i = 0; i <= line.size(); ++i) {
    char ch = i < line.size() ? line[i] : ',';
    if (quoted) {
      if (ch == '"' && i + 1 < line.size() && line[i + 1] == '"') cell += '"', ++i;
      else if (ch == '"') quoted = false;
      else cell += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      cells.push_back(cell);
      if (offsets) offsets->push_back(start);
      cell.clear();
      start = static_cast<uint32_t>(i + 1);
    } else {
      cell += ch;
    }
  }
  return cells;
}

namespace {

// Why `cell` is not a value of type `t`, with the scalar parser's hint; "" when it is one.
std::string cellProblem(const std::string& cell, const Type* t) {
  ScalarError err;
  auto problem = [&](bool ok) {
    if (ok) return std::string();
    return err.hint.empty() ? err.why : err.why + " (" + err.hint + ")";
  };
  switch (t->kind) {
    case TypeKind::Hs: return problem(parseHsText(cell, &err).has_value());
    case TypeKind::Country: return problem(parseCountryText(cell, &err).has_value());
    case TypeKind::Currency: return problem(parseCurrencyText(cell, &err).has_value());
    case TypeKind::Money:
    case TypeKind::Decimal: return problem(parseDecimalText(cell, &err).has_value());
    case TypeKind::Int: {
      auto d = parseDecimal(cell);
      return d && toInt(*d) ? "" : "not a whole number";
    }
    case TypeKind::Date: return problem(parseDateText(cell, &err).has_value());
    case TypeKind::Bool: return cell == "true" || cell == "false" ? "" : "not true or false";
    case TypeKind::Enum:
      for (const Name& v : t->enumDecl->values)
        if (v.text == cell) return "";
      return "not a value of enum " + t->enumDecl->name.text;
    case TypeKind::Code: return cell.empty() ? "empty" : "";
    case TypeKind::String: return "";
    default: return "this type cannot be read from a table";
  }
}

}  // namespace

void loadTableData(Compilation& c, TableDecl& t, const std::string& path) {
  for (const Param& k : t.keys)
    if (isError(k.type)) return;
  if (isError(t.valueType)) return;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    c.diagnostics.report(Diag::TableFile, t.file.range, {t.name.text, path, "no such file"});
    return;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  uint32_t file = c.sources.add(path, buffer.str());
  const SourceFile& csv = c.sources.file(file);
  std::string expected;
  for (const Param& k : t.keys) expected += k.name.text + ",";
  expected += "value";

  std::set<std::vector<std::string>> keys;
  // The front end's one error cap (DiagnosticSink::capReached) stops the reading of the file.
  for (size_t line = 0; line < csv.lineStarts.size() && !c.diagnostics.capReached(file); ++line) {
    uint32_t begin = csv.lineStarts[line];
    uint32_t end = line + 1 < csv.lineStarts.size() ? csv.lineStarts[line + 1] : csv.text.size();
    std::string_view text(csv.text.data() + begin, end - begin);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
    if (line == 0 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3), begin += 3;
    if (text.empty()) continue;
    std::vector<uint32_t> offsets;
    std::vector<std::string> cells = splitCsvLine(text, &offsets);
    SourceRange whole{file, begin, begin + static_cast<uint32_t>(text.size())};
    if (line == 0) {
      std::string header;
      for (size_t i = 0; i < cells.size(); ++i) header += (i ? "," : "") + cells[i];
      if (header != expected) {
        c.diagnostics.report(Diag::TableHeader, whole, {expected, header});
        return;
      }
      continue;
    }
    if (cells.size() != t.keys.size() + 1) {
      c.diagnostics.report(Diag::TableRowWidth, whole,
                           {std::to_string(cells.size()), std::to_string(t.keys.size() + 1)});
      continue;
    }
    bool ok = true;
    for (size_t i = 0; i < cells.size(); ++i) {
      const Type* type = i < t.keys.size() ? t.keys[i].type : t.valueType;
      std::string why = cellProblem(cells[i], type);
      if (why.empty()) continue;
      uint32_t at = begin + offsets[i];
      c.diagnostics.report(Diag::TableCell, {file, at, at + static_cast<uint32_t>(std::max<size_t>(cells[i].size(), 1))},
                           {cells[i], toString(type), i < t.keys.size() ? t.keys[i].name.text : "value", why});
      ok = false;
    }
    if (!ok) continue;
    // Keys compare by value: `01` and `1` are the same int key.
    for (size_t i = 0; i < t.keys.size(); ++i)
      if (t.keys[i].type->kind == TypeKind::Int) cells[i] = std::to_string(*toInt(*parseDecimal(cells[i])));
    std::vector<std::string> key(cells.begin(), cells.end() - 1);
    if (!keys.insert(key).second) {
      c.diagnostics.report(Diag::TableDuplicateKey, whole, {t.name.text});
      continue;
    }
    t.rows.push_back(std::move(cells));
  }
}

}  // namespace daliz
