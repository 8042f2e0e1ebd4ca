#include "compiler/codegen/program_tables.h"

#include <xxhash.h>

#include <algorithm>
#include <set>
#include <stdexcept>

#include "stdlib/reference_data.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

FieldKind fieldKind(const Type* t) {
  switch (t->kind) {
    case TypeKind::Bool: return FieldKind::Bool;
    case TypeKind::Int: return FieldKind::Int;
    case TypeKind::Decimal: return FieldKind::Decimal;
    case TypeKind::Money: return FieldKind::Money;
    case TypeKind::String: return FieldKind::String;
    case TypeKind::Code: return FieldKind::Code;
    case TypeKind::Date: return FieldKind::Date;
    case TypeKind::Hs: return FieldKind::Hs;
    case TypeKind::Country: return FieldKind::Country;
    case TypeKind::Currency: return FieldKind::Currency;
    case TypeKind::Enum: return FieldKind::Enum;
    case TypeKind::Record: return FieldKind::Record;
    case TypeKind::List: return FieldKind::List;
    default: throw std::logic_error("field of an invalid type");
  }
}

// A table cell (validated by the checker) as a constant of the key's or value's kind.
Constant cellConstant(const std::string& cell, const Type* t) {
  switch (t->kind) {
    case TypeKind::Hs: return {ConstKind::Int, static_cast<int64_t>(*encodeHs(cell)), 0, {}};
    case TypeKind::Country: return {ConstKind::Int, *countryIndex(cell), 0, {}};
    case TypeKind::Currency: return {ConstKind::Int, *currencyIndex(cell), 0, {}};
    case TypeKind::Money:
    case TypeKind::Decimal: return {ConstKind::Decimal, 0, parseDecimal(cell)->units, {}};
    case TypeKind::Int: return {ConstKind::Int, *toInt(*parseDecimal(cell)), 0, {}};
    case TypeKind::Date: return {ConstKind::Int, parseDate(cell)->days, 0, {}};
    case TypeKind::Bool: return {ConstKind::Int, cell == "true" ? 1 : 0, 0, {}};
    case TypeKind::Enum: {
      const auto& values = t->enumDecl->values;
      for (size_t i = 0; i < values.size(); ++i)
        if (values[i].text == cell) return {ConstKind::Int, static_cast<int64_t>(i), 0, {}};
      throw std::logic_error("unchecked enum cell");
    }
    default: return {ConstKind::String, 0, 0, cell};
  }
}

ConstKind constKind(const Type* t) {
  switch (t->kind) {
    case TypeKind::Money: case TypeKind::Decimal: return ConstKind::Decimal;
    case TypeKind::String: case TypeKind::Code: return ConstKind::String;
    default: return ConstKind::Int;
  }
}

bool constLess(const Constant& a, const Constant& b) {
  if (a.kind != b.kind) return a.kind < b.kind;
  if (a.i != b.i) return a.i < b.i;
  if (a.d != b.d) return a.d < b.d;
  return a.s < b.s;
}

}  // namespace

uint16_t ProgramTables::checkedIndex(size_t n, const char* what) const {
  if (n > UINT16_MAX) throw std::length_error(std::string("more than 65536 ") + what);
  return static_cast<uint16_t>(n);
}

void ProgramTables::lowerSchema() {
  Schema& s = p_.schema;
  for (const EnumDecl* e : c_.enums) {
    EnumSpec spec{e->name.text, {}};
    for (const Name& v : e->values) spec.values.push_back(v.text);
    s.enums.push_back(std::move(spec));
  }
  for (const RecordDecl* r : c_.records) {
    RecordSpec spec{r->name.text, {}};
    for (const FieldDecl& f : r->fields) {
      FieldSpec fs{f.name.text, fieldKind(f.type), f.type->optional, 0};
      if (f.type->kind == TypeKind::Enum) fs.ref = enumIndex(f.type->enumDecl);
      if (f.type->kind == TypeKind::Record) fs.ref = static_cast<uint32_t>(f.type->record->index);
      if (f.type->kind == TypeKind::List) fs.ref = static_cast<uint32_t>(f.type->element->record->index);
      spec.fields.push_back(std::move(fs));
    }
    s.records.push_back(std::move(spec));
  }
  s.root = static_cast<uint32_t>(c_.root->index);
  auto field = [&](const RecordSpec& r, const char* name) {
    for (size_t i = 0; i < r.fields.size(); ++i)
      if (r.fields[i].name == name) return static_cast<uint32_t>(i);
    throw std::runtime_error(std::string("the schema's record ") + r.name + " has no field `" + name + "`");
  };
  const RecordSpec& root = s.records[s.root];
  s.idField = field(root, "id");
  s.registeredField = field(root, "registered");
  s.itemsField = field(root, "items");
  s.itemNoField = field(s.records[root.fields[s.itemsField].ref], "no");
  // The fingerprint identifies the schema a bundle was compiled against.
  std::string canonical;
  for (const RecordSpec& r : s.records) {
    canonical += r.name + "{";
    for (const FieldSpec& f : r.fields)
      canonical += f.name + ":" + std::to_string(static_cast<int>(f.kind)) + (f.optional ? "?" : "") + "/" +
                   std::to_string(f.ref) + ",";
    canonical += "}";
  }
  for (const EnumSpec& e : s.enums) {
    canonical += e.name + "<";
    for (const std::string& v : e.values) canonical += v + ",";
    canonical += ">";
  }
  p_.schemaFingerprint = XXH64(canonical.data(), canonical.size(), 0);
}

uint16_t ProgramTables::enumIndex(const EnumDecl* e) const {
  auto it = std::find(c_.enums.begin(), c_.enums.end(), e);
  return static_cast<uint16_t>(it - c_.enums.begin());
}

uint16_t ProgramTables::constant(const Constant& k) {
  auto it = std::find(p_.constants.begin(), p_.constants.end(), k);
  if (it != p_.constants.end()) return static_cast<uint16_t>(it - p_.constants.begin());
  p_.constants.push_back(k);
  return checkedIndex(p_.constants.size() - 1, "constants");
}

uint16_t ProgramTables::regex(const std::string& pattern) {
  auto it = std::find(p_.regexes.begin(), p_.regexes.end(), pattern);
  if (it != p_.regexes.end()) return static_cast<uint16_t>(it - p_.regexes.begin());
  p_.regexes.push_back(pattern);
  return checkedIndex(p_.regexes.size() - 1, "regular expressions");
}

SetSpec ProgramTables::lowerSet(const SetLitExpr& s, const Type* element, std::string name) {
  SetSpec spec;
  spec.name = std::move(name);
  ConstKind kind = constKind(element);
  spec.kind = element->kind == TypeKind::Hs ? SetKind::Hs : kind == ConstKind::String ? SetKind::String : SetKind::Int;
  for (const SetElement& el : s.elements) {
    const Expr& low = *el.low;
    if (spec.kind == SetKind::Hs) {
      auto& lo = static_cast<const StringLit&>(low);
      const std::string& hi = el.high ? static_cast<const StringLit&>(*el.high).value : lo.value;
      spec.hs.push_back({std::stoull(lo.value), std::stoull(hi), static_cast<uint8_t>(lo.value.size())});
    } else if (spec.kind == SetKind::String) {
      spec.strings.push_back(static_cast<const StringLit&>(low).value);
    } else if (low.kind == ExprKind::StringLit) {
      spec.ints.push_back(static_cast<int64_t>(static_cast<const StringLit&>(low).encoded));
    } else if (low.kind == ExprKind::Name) {
      spec.ints.push_back(static_cast<const NameExpr&>(low).enumValue);
    } else if (low.kind == ExprKind::IntLit) {
      spec.ints.push_back(static_cast<const IntLit&>(low).value);
    } else if (low.kind == ExprKind::DateLit) {
      spec.ints.push_back(static_cast<const DateLit&>(low).value.days);
    }
  }
  std::sort(spec.ints.begin(), spec.ints.end());
  spec.ints.erase(std::unique(spec.ints.begin(), spec.ints.end()), spec.ints.end());
  std::sort(spec.strings.begin(), spec.strings.end());
  spec.strings.erase(std::unique(spec.strings.begin(), spec.strings.end()), spec.strings.end());
  std::sort(spec.hs.begin(), spec.hs.end(), [](const HsRange& a, const HsRange& b) {
    return std::tie(a.length, a.low, a.high) < std::tie(b.length, b.low, b.high);
  });
  return spec;
}

void ProgramTables::lowerDocumentKinds() {
  std::set<std::string> codes;
  for (const ProfileDecl* p : c_.profiles)
    for (const DocumentRequest& r : p->requests) codes.insert(r.codes.begin(), r.codes.end());
  for (const std::string& code : codes) {
    const DocumentKind* kind = documentKindCoded(code);
    p_.documentKinds.push_back({code, kind ? kind->title : ""});
  }
}

uint32_t ProgramTables::documentKind(const std::string& code) const {
  auto it = std::lower_bound(p_.documentKinds.begin(), p_.documentKinds.end(), code,
                             [](const DocumentKindSpec& k, const std::string& c) { return k.code < c; });
  return static_cast<uint32_t>(it - p_.documentKinds.begin());
}

void ProgramTables::lowerNamedSets() {
  std::vector<const SetDecl*> sets(c_.sets.begin(), c_.sets.end());
  std::sort(sets.begin(), sets.end(), [](auto* a, auto* b) { return a->name.text < b->name.text; });
  for (const SetDecl* s : sets) {
    namedSets_[s] = checkedIndex(p_.sets.size(), "sets");
    p_.sets.push_back(lowerSet(*s->elements, s->type->element, s->name.text));
  }
}

uint16_t ProgramTables::inlineSet(const SetLitExpr& s) {
  SetSpec spec = lowerSet(s, s.type->element, "");
  for (size_t i = 0; i < p_.sets.size(); ++i) {
    const SetSpec& o = p_.sets[i];
    if (o.name.empty() && o.kind == spec.kind && o.ints == spec.ints && o.strings == spec.strings &&
        o.hs.size() == spec.hs.size() &&
        std::equal(o.hs.begin(), o.hs.end(), spec.hs.begin(), [](const HsRange& a, const HsRange& b) {
          return a.low == b.low && a.high == b.high && a.length == b.length;
        }))
      return static_cast<uint16_t>(i);
  }
  p_.sets.push_back(std::move(spec));
  return checkedIndex(p_.sets.size() - 1, "sets");
}

void ProgramTables::lowerTables() {
  std::vector<const TableDecl*> tables(c_.tables.begin(), c_.tables.end());
  std::sort(tables.begin(), tables.end(), [](auto* a, auto* b) { return a->name.text < b->name.text; });
  for (const TableDecl* t : tables) {
    TableSpec spec;
    spec.name = t->name.text;
    for (const Param& k : t->keys) {
      spec.keyKinds.push_back(constKind(k.type));
      spec.keyIsHs.push_back(k.type->kind == TypeKind::Hs);
    }
    spec.valueKind = constKind(t->valueType);
    for (const auto& row : t->rows) {
      std::vector<Constant> cells;
      for (size_t i = 0; i < t->keys.size(); ++i) cells.push_back(cellConstant(row[i], t->keys[i].type));
      cells.push_back(cellConstant(row.back(), t->valueType));
      spec.rows.push_back(std::move(cells));
    }
    std::sort(spec.rows.begin(), spec.rows.end(), [](const auto& a, const auto& b) {
      return std::lexicographical_compare(a.begin(), a.end(), b.begin(), b.end(), constLess);
    });
    tables_[t] = checkedIndex(p_.tables.size(), "tables");
    p_.tables.push_back(std::move(spec));
  }
}

}  // namespace daliz
