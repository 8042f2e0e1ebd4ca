#include "stdlib/reference_data.h"

#include <algorithm>
#include <array>
#include <functional>
#include <map>
#include <utility>

#include "stdlib/embedded.h"

namespace daliz {
namespace {

using Row = std::vector<std::string>;

// RFC 4180 CSV: fields separated by commas, rows by LF or CRLF; a quoted field may hold
// commas, line breaks and "" for a quote. A leading UTF-8 byte-order mark is skipped. Blank
// lines are dropped. The embedded files are trusted, so malformed input is read leniently
// (text after a closing quote is kept) rather than reported.
std::vector<Row> parseCsv(std::string_view text) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  std::vector<Row> rows;
  Row row;
  std::string field;
  bool quoted = false;
  auto endRow = [&] {
    row.push_back(std::move(field));
    field.clear();
    if (row.size() > 1 || !row[0].empty()) rows.push_back(std::move(row));
    row.clear();
  };
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i + 1 < text.size() && text[i + 1] == '"') {
        field += '"';
        ++i;
      } else {
        quoted = false;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      row.push_back(std::move(field));
      field.clear();
    } else if (c == '\n') {
      endRow();
    } else if (c != '\r') {
      field += c;
    }
  }
  if (!field.empty() || !row.empty()) endRow();
  return rows;
}

// Calls visit(code, name) for each data row of an embedded CSV, taking the two columns by
// their header names so that column order does not matter.
void forEachRow(std::string_view path, std::string_view codeColumn, std::string_view nameColumn,
                const std::function<void(std::string&, std::string&)>& visit) {
  std::vector<Row> rows = parseCsv(embedded(path));
  if (rows.empty()) return;
  size_t codeAt = rows[0].size(), nameAt = rows[0].size();
  for (size_t i = 0; i < rows[0].size(); ++i) {
    if (rows[0][i] == codeColumn) codeAt = i;
    if (rows[0][i] == nameColumn) nameAt = i;
  }
  for (size_t r = 1; r < rows.size(); ++r)
    if (codeAt < rows[r].size() && nameAt < rows[r].size()) visit(rows[r][codeAt], rows[r][nameAt]);
}

// The base-26 index of an upper-case code of exactly `letters` letters, or nullopt.
std::optional<uint16_t> letterIndex(std::string_view code, size_t letters) {
  if (code.size() != letters) return std::nullopt;
  unsigned index = 0;
  for (char c : code) {
    if (c < 'A' || c > 'Z') return std::nullopt;
    index = index * 26 + static_cast<unsigned>(c - 'A');
  }
  return static_cast<uint16_t>(index);
}

std::string lettersOf(unsigned index, size_t letters) {
  std::string code(letters, 'A');
  for (size_t i = letters; i-- > 0; index /= 26) code[i] = static_cast<char>('A' + index % 26);
  return code;
}

// The assigned codes of one ISO list, indexed by letterIndex.
struct CodeList {
  std::vector<std::string> names;  // by index; "" when unassigned
  std::vector<std::string> codes;  // assigned codes, sorted
};

CodeList loadCodeList(std::string_view path, std::string_view codeColumn, size_t letters,
                      size_t indexCount) {
  CodeList list;
  list.names.resize(indexCount);
  forEachRow(path, codeColumn, "name", [&](std::string& code, std::string& name) {
    const auto index = letterIndex(code, letters);
    if (!index || name.empty()) return;
    if (list.names[*index].empty()) list.codes.push_back(code);
    list.names[*index] = std::move(name);
  });
  std::sort(list.codes.begin(), list.codes.end());
  return list;
}

const CodeList& countries() {
  static const CodeList list =
      loadCodeList("stdlib/data/iso3166.csv", "alpha2", 2, kCountryIndexCount);
  return list;
}

const CodeList& currencies() {
  static const CodeList list =
      loadCodeList("stdlib/data/iso4217.csv", "alpha3", 3, kCurrencyIndexCount);
  return list;
}

// Chapters, headings and subheadings by code. The file also holds a TOTAL row, which the
// digit check leaves out.
const std::map<std::string, std::string, std::less<>>& hsNomenclature() {
  static const auto table = [] {
    std::map<std::string, std::string, std::less<>> t;
    forEachRow("stdlib/data/harmonized-system.csv", "hscode", "description",
               [&](std::string& code, std::string& description) {
                 const bool digits = code.find_first_not_of("0123456789") == std::string::npos;
                 if (digits && (code.size() == 2 || code.size() == 4 || code.size() == 6))
                   t.emplace(std::move(code), std::move(description));
               });
    return t;
  }();
  return table;
}

const std::vector<DocumentKind>& documentKindList() {
  static const auto kinds = [] {
    std::map<std::string, DocumentKind> byCode;
    forEachRow("stdlib/data/document_kinds.csv", "code", "name",
               [&](std::string& code, std::string& name) { byCode[code].name = std::move(name); });
    forEachRow("stdlib/data/document_kinds.csv", "code", "title",
               [&](std::string& code, std::string& title) { byCode[code].title = std::move(title); });
    std::vector<DocumentKind> list;
    for (auto& [code, kind] : byCode) list.push_back({code, std::move(kind.name), std::move(kind.title)});
    return list;
  }();
  return kinds;
}

std::string_view nameAt(const CodeList& list, std::optional<uint16_t> index) {
  return index ? std::string_view(list.names[*index]) : std::string_view();
}

}  // namespace

std::optional<uint16_t> countryIndex(std::string_view alpha2) {
  const auto index = letterIndex(alpha2, 2);
  if (!index || countries().names[*index].empty()) return std::nullopt;
  return index;
}

std::string countryCode(uint16_t index) {
  return index < kCountryIndexCount ? lettersOf(index, 2) : std::string();
}

const std::vector<std::string>& allCountryCodes() { return countries().codes; }

std::string_view countryName(std::string_view alpha2) {
  return nameAt(countries(), letterIndex(alpha2, 2));
}

std::optional<std::string_view> countryAlias(std::string_view code) {
  // Codes that people and neighbouring systems write instead of the ISO one. "XK" (Kosovo)
  // is deliberately absent: it is a user-assigned code with no ISO equivalent.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 2> kAliases{{
      {"UK", "GB"},  // United Kingdom; exceptionally reserved by ISO, never assigned
      {"EL", "GR"},  // Greece, as the EU institutions write it
  }};
  for (const auto& [alias, iso] : kAliases)
    if (code == alias) return iso;
  return std::nullopt;
}

std::optional<uint16_t> currencyIndex(std::string_view alpha3) {
  const auto index = letterIndex(alpha3, 3);
  if (!index || currencies().names[*index].empty()) return std::nullopt;
  return index;
}

std::string currencyCode(uint16_t index) {
  return index < kCurrencyIndexCount ? lettersOf(index, 3) : std::string();
}

const std::vector<std::string>& allCurrencyCodes() { return currencies().codes; }

std::string_view currencyName(std::string_view alpha3) {
  return nameAt(currencies(), letterIndex(alpha3, 3));
}

bool hsNomenclatureHas(std::string_view digits) { return hsNomenclature().contains(digits); }

std::string_view hsDescription(std::string_view digits) {
  const auto& table = hsNomenclature();
  const auto it = table.find(digits);
  return it == table.end() ? std::string_view() : std::string_view(it->second);
}

const std::vector<DocumentKind>& documentKinds() { return documentKindList(); }

const DocumentKind* documentKindNamed(std::string_view name) {
  for (const DocumentKind& k : documentKindList())
    if (k.name == name) return &k;
  return nullptr;
}

const DocumentKind* documentKindCoded(std::string_view code) {
  for (const DocumentKind& k : documentKindList())
    if (k.code == code) return &k;
  return nullptr;
}

}  // namespace daliz
