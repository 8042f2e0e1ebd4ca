#include "compiler/sema/expr_checker.h"

#include <re2/re2.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>

#include "stdlib/reference_data.h"
#include "vm/value/hs_code.h"
#include "vm/value/scalar.h"

namespace daliz {

void forEachChild(const Expr& e, const std::function<void(const Expr*)>& fn) {
  switch (e.kind) {
    case ExprKind::Field: fn(static_cast<const FieldExpr&>(e).base.get()); break;
    case ExprKind::MethodCall: {
      auto& m = static_cast<const MethodCallExpr&>(e);
      fn(m.base.get());
      for (auto& a : m.args) fn(a.get());
      break;
    }
    case ExprKind::Call:
      for (auto& a : static_cast<const CallExpr&>(e).args) fn(a.get());
      break;
    case ExprKind::Lookup: {
      auto& l = static_cast<const LookupExpr&>(e);
      fn(l.table.get());
      for (auto& k : l.keys) fn(k.get());
      break;
    }
    case ExprKind::Quantifier: {
      auto& q = static_cast<const QuantifierExpr&>(e);
      fn(q.list.get());
      fn(q.body.get());
      break;
    }
    case ExprKind::SetLit:
      for (auto& el : static_cast<const SetLitExpr&>(e).elements) {
        fn(el.low.get());
        if (el.high) fn(el.high.get());
      }
      break;
    case ExprKind::Neg:
    case ExprKind::Not: fn(static_cast<const UnaryExpr&>(e).operand.get()); break;
    case ExprKind::Binary: {
      auto& b = static_cast<const BinaryExpr&>(e);
      fn(b.lhs.get());
      fn(b.rhs.get());
      break;
    }
    case ExprKind::In: {
      auto& i = static_cast<const InExpr&>(e);
      fn(i.element.get());
      fn(i.set.get());
      break;
    }
    case ExprKind::Is: fn(static_cast<const IsExpr&>(e).operand.get()); break;
    default: break;
  }
}

namespace {

bool isNumericLiteral(const Expr& e) {
  return e.kind == ExprKind::IntLit || e.kind == ExprKind::DecimalLit || e.kind == ExprKind::PercentLit;
}

const std::vector<std::string>& scalarTypeNames() {
  static const std::vector<std::string> k = {"bool", "int", "decimal", "money", "string", "date",
                                             "hs", "country", "currency", "code", "set", "list"};
  return k;
}

}  // namespace

const Type* ExprChecker::resolveType(const TypeRef& ref, bool allowContainers) {
  static const std::map<std::string, TypeKind> kScalars = {
      {"bool", TypeKind::Bool}, {"int", TypeKind::Int}, {"decimal", TypeKind::Decimal},
      {"money", TypeKind::Money}, {"string", TypeKind::String}, {"date", TypeKind::Date},
      {"hs", TypeKind::Hs}, {"country", TypeKind::Country}, {"currency", TypeKind::Currency},
      {"code", TypeKind::Code}};
  const std::string& n = ref.name.text;
  if (auto it = kScalars.find(n); it != kScalars.end()) {
    if (ref.arg) report(Diag::TypeTakesNoArgument, ref.range, {n});
    return c_.types.get(it->second, ref.optional);
  }
  if (n == "set" || n == "list") {
    if (!allowContainers) {
      report(Diag::ContainerNotAllowed, ref.range, {n});
      return c_.types.error();
    }
    if (!ref.arg) {
      report(Diag::ContainerNeedsElement, ref.range, {n, n == "set" ? "set<hs>" : "list<Item>"});
      return c_.types.error();
    }
    const Type* element = resolveType(*ref.arg, false);
    if (isError(element)) return element;
    if (n == "list" && element->kind != TypeKind::Record) {
      report(Diag::ListOfRecords, ref.arg->range);
      return c_.types.error();
    }
    if (n == "set" && (element->kind == TypeKind::Record || element->kind == TypeKind::Bool ||
                       element->kind == TypeKind::Decimal || element->kind == TypeKind::Money)) {
      report(Diag::SetElementKind, ref.arg->range);
      return c_.types.error();
    }
    return n == "set" ? c_.types.setOf(c_.types.withOptional(element, false))
                      : c_.types.listOf(c_.types.withOptional(element, false));
  }
  auto it = globals_.byName.find(n);
  if (it != globals_.byName.end() && it->second->kind == DeclKind::Record)
    return c_.types.recordType(static_cast<const RecordDecl*>(it->second), ref.optional);
  if (it != globals_.byName.end() && it->second->kind == DeclKind::Enum)
    return c_.types.enumType(static_cast<const EnumDecl*>(it->second), ref.optional);
  if (globals_.broken.count(n)) return c_.types.error();
  std::vector<std::string> names = scalarTypeNames();
  for (auto& [name, decl] : globals_.byName)
    if (decl->kind == DeclKind::Record || decl->kind == DeclKind::Enum) names.push_back(name);
  report(Diag::UnknownType, ref.name.range, {n, suggestion(n, names)});
  return c_.types.error();
}

bool ExprChecker::isContextual(const Expr& e, const Scope& scope) const {
  if (isNumericLiteral(e) || e.kind == ExprKind::StringLit || e.kind == ExprKind::SetLit) return true;
  if (e.kind == ExprKind::Name) {
    auto& n = static_cast<const NameExpr&>(e);
    if (scope.find(n.name)) return false;
    auto it = globals_.byName.find(n.name);
    return it == globals_.byName.end() || it->second->kind != DeclKind::Set;
  }
  return false;
}

// Gives a literal the type its context needs, validating it for that type. Returns false
// (without reporting) when the literal cannot take that type at all.
bool ExprChecker::adaptLiteral(Expr& e, const Type* target) {
  if (target == nullptr || isError(target)) return false;
  const Type* plain = c_.types.withOptional(target, false);
  if (isNumericLiteral(e)) {
    if (plain->kind == TypeKind::Money || plain->kind == TypeKind::Decimal) {
      set(e, plain);
      return true;
    }
    if (plain->kind == TypeKind::Int && e.kind == ExprKind::IntLit) {
      set(e, plain);
      return true;
    }
    return false;
  }
  if (e.kind == ExprKind::StringLit) {
    auto& s = static_cast<StringLit&>(e);
    switch (plain->kind) {
      case TypeKind::String:
      case TypeKind::Code:
        set(e, plain);
        return true;
      case TypeKind::Hs: {
        ScalarError why;
        auto code = parseHsText(s.value, &why);
        if (!code) {
          Diagnostic& d = report(Diag::BadHsCode, e.range, {s.value, why.why});
          if (!why.fix.empty())
            d.withHelp(Diag::HelpWrite, {"\"" + why.fix + "\""},
                       {{e.range, "\"" + why.fix + "\""}});
          error(e);
          return true;
        }
        if (s.value.size() <= 6 && !hsNomenclatureHas(s.value))
          report(Diag::HsNotInNomenclature, e.range, {s.value});
        s.encoded = *code;
        set(e, plain);
        return true;
      }
      case TypeKind::Country: {
        ScalarError why;
        auto index = parseCountryText(s.value, &why);
        if (!index) {
          const std::string& fixed = why.fix;
          Diagnostic& d = report(Diag::BadCountry, e.range, {s.value, fixed.empty() ? "" : "; did you mean `" + fixed + "`?"});
          if (!fixed.empty()) d.withHelp(Diag::HelpWrite, {"\"" + fixed + "\""}, {{e.range, "\"" + fixed + "\""}});
          error(e);
          return true;
        }
        s.encoded = *index;
        set(e, plain);
        return true;
      }
      case TypeKind::Currency: {
        ScalarError why;
        auto index = parseCurrencyText(s.value, &why);
        if (!index) {
          std::string fixed = why.fix;
          if (fixed.empty()) fixed = closestMatch(s.value, allCurrencyCodes());
          Diagnostic& d = report(Diag::BadCurrency, e.range, {s.value, fixed.empty() ? "" : "; did you mean `" + fixed + "`?"});
          if (!fixed.empty()) d.withHelp(Diag::HelpWrite, {"\"" + fixed + "\""}, {{e.range, "\"" + fixed + "\""}});
          error(e);
          return true;
        }
        s.encoded = *index;
        set(e, plain);
        return true;
      }
      case TypeKind::Date: {
        // A string never becomes a date; one that holds a date is written without quotes.
        std::string iso = meantDate(s.value);
        if (iso.empty()) return false;
        report(Diag::QuotedDate, e.range).withHelp(Diag::HelpWrite, {iso}, {{e.range, iso}});
        set(e, plain);
        return true;
      }
      case TypeKind::Enum: {
        const EnumDecl* en = plain->enumDecl;
        std::vector<std::string> values;
        for (auto& v : en->values) values.push_back(v.text);
        if (std::find(values.begin(), values.end(), s.value) != values.end()) {
          report(Diag::QuotedEnumValue, e.range, {s.value}).withHelp(Diag::HelpWrite, {s.value}, {{e.range, s.value}});
          set(e, plain);
          return true;
        }
        std::string best = closestMatch(s.value, values);
        Diagnostic& d = report(Diag::UnknownEnumValue, e.range, {en->name.text, s.value, suggestion(s.value, values)});
        if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{e.range, best}});
        error(e);
        return true;
      }
      default:
        return false;
    }
  }
  if (e.kind == ExprKind::SetLit && plain->kind == TypeKind::Set) {
    checkSetLiteral(static_cast<SetLitExpr&>(e), plain);
    return true;
  }
  if (e.kind == ExprKind::Name && plain->kind == TypeKind::Enum) {
    auto& n = static_cast<NameExpr&>(e);
    const EnumDecl* en = plain->enumDecl;
    for (size_t i = 0; i < en->values.size(); ++i) {
      if (en->values[i].text == n.name) {
        n.ref = NameRef::EnumValue;
        n.enumValue = static_cast<int>(i);
        set(e, plain);
        return true;
      }
    }
    std::vector<std::string> values;
    for (auto& v : en->values) values.push_back(v.text);
    std::string best = closestMatch(n.name, values);
    Diagnostic& d = report(Diag::UnknownEnumValue, e.range, {en->name.text, n.name, suggestion(n.name, values)});
    if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{e.range, best}});
    error(e);
    return true;
  }
  return false;
}

std::string ExprChecker::text(SourceRange r) const { return std::string(c_.sources.text(r)); }

const Type* ExprChecker::check(Expr& e, const Scope& scope, const Type* expected) {
  // Remember the innermost condition atom, so that a list used where its element is meant
  // can be rewritten as `any(x in list: atom)`.
  bool atom = e.kind == ExprKind::In || e.kind == ExprKind::Is || e.kind == ExprKind::MethodCall ||
              (e.kind == ExprKind::Binary && static_cast<BinaryExpr&>(e).op >= BinaryOp::Eq &&
               static_cast<BinaryExpr&>(e).op <= BinaryOp::Ge);
  const Expr* saved = atom_;
  if (atom) atom_ = &e;
  const Type* t = checkInner(e, scope, expected);
  atom_ = saved;
  return t;
}

const Type* ExprChecker::checkInner(Expr& e, const Scope& scope, const Type* expected) {
  if (expected && isContextual(e, scope) && adaptLiteral(e, expected)) return e.type;
  switch (e.kind) {
    case ExprKind::IntLit: return set(e, c_.types.get(TypeKind::Int));
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit: return set(e, c_.types.get(TypeKind::Decimal));
    case ExprKind::StringLit: return set(e, c_.types.get(TypeKind::String));
    case ExprKind::DateLit: return set(e, c_.types.get(TypeKind::Date));
    case ExprKind::BoolLit: return set(e, c_.types.get(TypeKind::Bool));
    case ExprKind::Error: return error(e);
    case ExprKind::Declaration:
      if (scope.categorize) {
        report(Diag::DeclarationInRule, e.range);
        return error(e);
      }
      if (globals_.root == nullptr) return error(e);
      return set(e, c_.types.recordType(globals_.root));
    case ExprKind::Name: return checkName(static_cast<NameExpr&>(e), scope, expected, {});
    case ExprKind::Field: return checkField(static_cast<FieldExpr&>(e), scope);
    case ExprKind::MethodCall: return checkMethod(static_cast<MethodCallExpr&>(e), scope);
    case ExprKind::Call: return checkCall(static_cast<CallExpr&>(e), scope);
    case ExprKind::Lookup: return checkLookup(static_cast<LookupExpr&>(e), scope);
    case ExprKind::Quantifier: return checkQuantifier(static_cast<QuantifierExpr&>(e), scope);
    case ExprKind::SetLit:
      report(Diag::SetLiteralNoType, e.range);
      return error(e);
    case ExprKind::Neg: {
      auto& u = static_cast<UnaryExpr&>(e);
      const Type* t = check(*u.operand, scope, expected);
      if (isError(t)) return error(e);
      if (t->kind != TypeKind::Int && t->kind != TypeKind::Decimal && t->kind != TypeKind::Money) {
        report(Diag::BadUnary, e.range, {"-", toString(t)});
        return error(e);
      }
      return set(e, t);
    }
    case ExprKind::Not: {
      auto& u = static_cast<UnaryExpr&>(e);
      const Type* t = check(*u.operand, scope, c_.types.get(TypeKind::Bool));
      if (isError(t)) return error(e);
      if (t->kind != TypeKind::Bool) {
        report(Diag::LogicNotBool, u.operand->range, {"not", toString(t)});
        return error(e);
      }
      return set(e, t);
    }
    case ExprKind::Binary: return checkBinary(static_cast<BinaryExpr&>(e), scope, expected);
    case ExprKind::In: return checkIn(static_cast<InExpr&>(e), scope);
    case ExprKind::Is: {
      auto& is = static_cast<IsExpr&>(e);
      check(*is.operand, scope, nullptr);
      return set(e, c_.types.get(TypeKind::Bool));
    }
  }
  return error(e);
}

std::vector<std::string> ExprChecker::visibleNames(const Scope& scope) const {
  std::vector<std::string> names;
  for (const Local* l : scope.locals) names.push_back(l->name.text);
  for (auto& [name, decl] : globals_.byName)
    if (decl->kind == DeclKind::Set || decl->kind == DeclKind::Table) names.push_back(name);
  if (!scope.categorize) names.push_back("declaration");  // a rule sees `participant` (a local) instead
  return names;
}

// Whether `field` is a field of the goods-item record (the element of the root's first list).
bool ExprChecker::isItemField(std::string_view field) const {
  if (globals_.root == nullptr) return false;
  for (const FieldDecl& f : globals_.root->fields)
    if (f.type && f.type->kind == TypeKind::List) return f.type->element->record->findField(field) >= 0;
  return false;
}

const Type* ExprChecker::checkName(NameExpr& e, const Scope& scope, const Type* expected, std::string_view fieldBase) {
  if (const Local* l = scope.find(e.name)) {
    e.ref = NameRef::Local;
    e.local = l;
    return set(e, l->type);
  }
  auto it = globals_.byName.find(e.name);
  if (it != globals_.byName.end() && it->second->kind == DeclKind::Set) {
    e.ref = NameRef::Set;
    e.set = static_cast<const SetDecl*>(it->second);
    if (!setAllowed_) {
      report(Diag::SetOutsideIn, e.range, {e.name});
      return error(e);
    }
    return set(e, e.set->type ? e.set->type : c_.types.error());
  }
  if (expected && adaptLiteral(e, expected)) return e.type;
  return unknownName(e, scope, fieldBase);
}

// A name that is not defined here: say what the analyst most likely meant.
const Type* ExprChecker::unknownName(NameExpr& e, const Scope& scope, std::string_view fieldBase) {
  const std::string& n = e.name;
  if (globals_.broken.count(n)) return error(e);
  if (n == "null" || n == "NULL" || n == "Null" || n == "nil" || n == "None") {
    report(Diag::NullValue, e.range).withHelp(Diag::HelpMissing);
    return error(e);
  }
  for (const Name* later : scope.laterLets)
    if (later->text == n) {
      report(Diag::LetBeforeDefinition, e.range, {n}).withHelp(Diag::HelpMoveLet, {n});
      c_.diagnostics.note(Diag::NoteDefinedHere, later->range, {n});
      return error(e);
    }
  static const char* const kWords[] = {"any", "all", "count", "sum", "min", "max"};
  for (const QuantifierExpr* q : quantifiers_)
    if (q->var.text == n && !(e.range.begin >= q->range.begin && e.range.end <= q->range.end)) {
      report(Diag::QuantifierVarOutside, e.range, {n}).withHelp(Diag::HelpQuantifierBody, {n});
      c_.diagnostics.note(Diag::NoteQuantifierHere, q->var.range, {n, kWords[static_cast<int>(q->quantifier)]});
      return error(e);
    }
  std::vector<FixIt> addScope;
  if (scope.profileBody.valid()) addScope.push_back({scope.profileBody, "\n  scope item i"});
  // `i.origin` in a profile of declaration scope: the analyst forgot `scope item i`.
  if (!fieldBase.empty() && scope.declarationScope && closestMatch(n, visibleNames(scope)).empty() &&
      isItemField(fieldBase)) {
    std::vector<FixIt> fix;
    if (scope.profileBody.valid()) fix.push_back({scope.profileBody, "\n  scope item " + n});
    report(Diag::ItemOutOfScope, e.range, {n}).withHelp(Diag::HelpAddScope, {n}, fix);
    return error(e);
  }
  // A field written without its record: `procedure` for `declaration.procedure`, `origin`
  // for `i.origin`.
  for (auto it = scope.locals.rbegin(); it != scope.locals.rend(); ++it) {
    const Type* t = (*it)->type;
    if (!isError(t) && t->kind == TypeKind::Record && t->record->findField(n) >= 0) {
      std::string fixed = (*it)->name.text + "." + n;
      report(Diag::BareField, e.range, {n, "`" + (*it)->name.text + "` (record `" + t->record->name.text + "`)"})
          .withHelp(Diag::HelpWrite, {fixed}, {{e.range, fixed}});
      return error(e);
    }
  }
  if (!scope.categorize && globals_.root != nullptr && globals_.root->findField(n) >= 0) {
    std::string fixed = "declaration." + n;
    report(Diag::BareField, e.range, {n, "the declaration"}).withHelp(Diag::HelpWrite, {fixed}, {{e.range, fixed}});
    return error(e);
  }
  if (scope.declarationScope && isItemField(n)) {
    addScope.push_back({e.range, "i." + n});
    report(Diag::BareField, e.range, {n, "each goods item"})
        .withHelp(Diag::HelpWriteWhere, {"i." + n, "after adding `scope item i` to the profile"}, addScope);
    return error(e);
  }
  std::string best = closestMatch(n, visibleNames(scope));
  Diagnostic& d = report(Diag::UnknownName, e.range, {n, suggestion(n, visibleNames(scope))});
  if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{e.range, best}});
  return error(e);
}

const Type* ExprChecker::checkField(FieldExpr& e, const Scope& scope) {
  const Type* base = e.base->kind == ExprKind::Name
                         ? checkName(static_cast<NameExpr&>(*e.base), scope, nullptr, e.field.text)
                         : check(*e.base, scope, nullptr);
  if (isError(base)) return error(e);
  const std::string& f = e.field.text;
  if (base->kind == TypeKind::Record) {
    const RecordDecl* r = base->record;
    int index = r->findField(f);
    if (index < 0) {
      std::vector<std::string> names;
      for (auto& fd : r->fields) names.push_back(fd.name.text);
      report(Diag::UnknownField, e.field.range, {"record `" + r->name.text + "`", f, suggestion(f, names)});
      return error(e);
    }
    e.fieldIndex = index;
    const Type* t = r->fields[index].type;
    if (isError(t)) return error(e);
    return set(e, base->optional && t->kind != TypeKind::List ? c_.types.withOptional(t, true) : t);
  }
  if (base->kind == TypeKind::Date) {
    static const std::vector<std::string> kParts = {"year", "month", "day", "weekday"};
    auto it = std::find(kParts.begin(), kParts.end(), f);
    if (it == kParts.end()) {
      report(Diag::UnknownField, e.field.range, {"a date", f, suggestion(f, kParts)});
      return error(e);
    }
    e.fieldIndex = static_cast<int>(it - kParts.begin());
    return set(e, c_.types.get(TypeKind::Int, base->optional));
  }
  if (base->kind == TypeKind::Hs) {
    static const std::vector<std::string> kParts = {"chapter", "heading", "subheading"};
    auto it = std::find(kParts.begin(), kParts.end(), f);
    if (it == kParts.end()) {
      report(Diag::UnknownField, e.field.range, {"an hs code", f, suggestion(f, kParts)});
      return error(e);
    }
    e.fieldIndex = static_cast<int>(it - kParts.begin());
    return set(e, c_.types.get(TypeKind::Hs, base->optional));
  }
  if (base->kind == TypeKind::List && base->element && base->element->record) {
    // `declaration.items.hs_code`: a list used where one of its elements is meant.
    std::string list = text(e.base->range);
    std::string record = base->element->record->name.text;
    std::string var(1, static_cast<char>(std::tolower(static_cast<unsigned char>(record[0]))));
    if (scope.find(var)) var = "x";
    SourceRange at{e.range.file, e.range.begin, e.field.range.end};
    Diagnostic& d = report(Diag::ListField, at, {list, "`" + record + "`", f});
    const Expr* wrap = quantCall_ ? static_cast<const Expr*>(quantCall_) : atom_;
    SourceRange inner = quantCall_ ? quantCall_->args[0]->range : wrap ? wrap->range : SourceRange{};
    if (wrap && e.base->range.begin >= inner.begin && e.base->range.end <= inner.end) {
      std::string whole = text(inner);
      std::string body = whole.substr(0, e.base->range.begin - inner.begin) + var +
                         whole.substr(e.base->range.end - inner.begin);
      std::string fixed = (quantCall_ ? quantCall_->callee.text : std::string("any")) + "(" + var + " in " + list + ": " + body + ")";
      d.withHelp(Diag::HelpWrite, {fixed}, {{wrap->range, fixed}});
    } else {
      d.withHelp(Diag::HelpWrite, {"any(" + var + " in " + list + ": " + var + "." + f + " …)"});
    }
    return error(e);
  }
  report(Diag::NoFields, e.field.range, {"a value of type " + toString(base)});
  return error(e);
}

const Type* ExprChecker::checkMethod(MethodCallExpr& e, const Scope& scope) {
  const Type* base = check(*e.base, scope, nullptr);
  if (isError(base)) return error(e);
  static const std::vector<std::string> kMethods = {"contains", "starts_with", "ends_with",
                                                    "matches", "lower", "upper"};
  const std::string& m = e.method.text;
  bool textual = base->kind == TypeKind::String || base->kind == TypeKind::Code;
  auto it = std::find(kMethods.begin(), kMethods.end(), m);
  if (!textual || it == kMethods.end() || (base->kind == TypeKind::Code && (m == "lower" || m == "upper"))) {
    report(Diag::UnknownMethod, e.method.range, {"a value of type " + toString(base), m, textual ? suggestion(m, kMethods) : ""});
    return error(e);
  }
  bool optional = base->optional;
  if (m == "lower" || m == "upper") {
    if (!e.args.empty()) report(Diag::ArgumentCount, e.method.range, {m, "0", std::to_string(e.args.size())});
    return set(e, c_.types.get(TypeKind::String, optional));
  }
  if (e.args.size() != 1) {
    report(Diag::ArgumentCount, e.method.range, {m, "1", std::to_string(e.args.size())});
    return error(e);
  }
  Expr& arg = *e.args[0];
  if (m == "matches") {
    if (arg.kind != ExprKind::StringLit) {
      report(Diag::PatternNotLiteral, arg.range);
      return error(e);
    }
    set(arg, c_.types.get(TypeKind::String));
    RE2 re(static_cast<StringLit&>(arg).value, RE2::Quiet);
    if (!re.ok()) {
      report(Diag::BadRegex, e.range, {re.error()});
      return error(e);
    }
    return set(e, c_.types.get(TypeKind::Bool, optional));
  }
  const Type* t = check(arg, scope, c_.types.get(base->kind == TypeKind::Code ? TypeKind::Code : TypeKind::String));
  if (isError(t)) return error(e);
  if (t->kind != base->kind) {
    report(Diag::TypeMismatch, arg.range, {toString(c_.types.withOptional(base, false)), toString(t)});
    return error(e);
  }
  return set(e, c_.types.get(TypeKind::Bool, optional || t->optional));
}

const Type* ExprChecker::checkCall(CallExpr& e, const Scope& scope) {
  const std::string& n = e.callee.text;
  auto arity = [&](size_t want) {
    if (e.args.size() == want) return true;
    report(Diag::ArgumentCount, e.callee.range, {n, std::to_string(want), std::to_string(e.args.size())});
    return false;
  };
  if (n == "len") {
    e.builtin = Builtin::Len;
    if (!arity(1)) return error(e);
    const Type* t = check(*e.args[0], scope, nullptr);
    if (isError(t)) return error(e);
    if (t->kind != TypeKind::String && t->kind != TypeKind::List) {
      report(Diag::LenArgument, e.args[0]->range, {toString(t)});
      return error(e);
    }
    return set(e, c_.types.get(TypeKind::Int, t->optional));
  }
  if (n == "money" || n == "decimal") {
    e.builtin = n == "money" ? Builtin::Money : Builtin::Decimal;
    if (!arity(1)) return error(e);
    const Type* t = check(*e.args[0], scope, nullptr);
    if (isError(t)) return error(e);
    bool ok = n == "money" ? isNumeric(t) : (isNumeric(t) || t->kind == TypeKind::Money);
    if (!ok) {
      report(Diag::TypeMismatch, e.args[0]->range, {n == "money" ? "a decimal or an int" : "money or a number", toString(t)});
      return error(e);
    }
    return set(e, c_.types.get(n == "money" ? TypeKind::Money : TypeKind::Decimal, t->optional));
  }
  auto it = globals_.byName.find(n);
  if (it != globals_.byName.end() && (it->second->kind == DeclKind::Table || it->second->kind == DeclKind::Set))
    return misusedCall(e, scope, it->second);
  static const std::vector<std::string> kQuantifiers = {"any", "all", "count", "sum", "min", "max"};
  if (std::find(kQuantifiers.begin(), kQuantifiers.end(), n) != kQuantifiers.end()) {
    // A quantifier without its variable: `count(L)`, `count(i in L)`, `any(L.field in S)`.
    std::string example = n + "(x in declaration.items: …)";
    if (e.args.size() == 1 && e.args[0]->kind == ExprKind::In) {
      auto& in = static_cast<InExpr&>(*e.args[0]);
      if (in.element->kind == ExprKind::Name && !scope.find(static_cast<NameExpr&>(*in.element).name)) {
        report(Diag::QuantifierNeedsBody, e.callee.range, {n})
            .withHelp(Diag::HelpAddCondition, {n + "(" + text(in.range) + ": …)"});
        return error(e);
      }
    }
    if (e.args.size() == 1) {
      const CallExpr* saved = quantCall_;
      quantCall_ = &e;
      const Type* t = check(*e.args[0], scope, nullptr);
      quantCall_ = saved;
      if (isError(t)) return error(e);
      if (t->kind == TypeKind::List && t->element && t->element->record) {
        std::string list = text(e.args[0]->range);
        std::string var(1, static_cast<char>(std::tolower(static_cast<unsigned char>(t->element->record->name.text[0]))));
        if (scope.find(var)) var = "x";
        Diagnostic& d = report(Diag::QuantifierNeedsBody, e.callee.range, {n});
        if (n == "count")
          d.withHelp(Diag::HelpCountAll, {"len(" + list + ")"}, {{e.range, "len(" + list + ")"}});
        else
          d.withHelp(Diag::HelpAddCondition, {n + "(" + var + " in " + list + ": …)"});
        return error(e);
      }
    } else {
      for (auto& a : e.args) check(*a, scope, nullptr);
    }
    report(Diag::QuantifierNeedsBody, e.callee.range, {n}).withHelp(Diag::HelpAddCondition, {example});
    return error(e);
  }
  if (globals_.broken.count(n)) {
    for (auto& a : e.args) check(*a, scope, nullptr);
    return error(e);
  }
  if (it == globals_.byName.end() || it->second->kind != DeclKind::Indicator) {
    std::vector<std::string> names = {"len", "money", "decimal", "any", "all", "count", "sum", "min", "max"};
    for (auto& [name, decl] : globals_.byName)
      if (decl->kind == DeclKind::Indicator) names.push_back(name);
    std::string best = closestMatch(n, names);
    Diagnostic& d = report(Diag::UnknownFunction, e.callee.range, {n, suggestion(n, names)});
    if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{e.callee.range, best}});
    for (auto& a : e.args) check(*a, scope, nullptr);
    return error(e);
  }
  auto* ind = static_cast<const IndicatorDecl*>(it->second);
  e.indicator = ind;
  if (!arity(ind->params.size())) return error(e);
  bool ok = true;
  for (size_t i = 0; i < e.args.size(); ++i) {
    const Type* want = ind->params[i].type;
    const Type* got = check(*e.args[i], scope, want);
    if (isError(got) || isError(want)) {
      ok = false;
      continue;
    }
    if (!assignable(*e.args[i], got, want)) {
      report(Diag::TypeMismatch, e.args[i]->range, {toString(want), toString(got)});
      ok = false;
    }
  }
  if (!ok || isError(ind->resultType)) return error(e);
  return set(e, ind->resultType);
}

// A table or a set written as a call: `REFERENCE_PRICE(a, b)`, `WATCHED(x)`.
const Type* ExprChecker::misusedCall(CallExpr& e, const Scope& scope, const Decl* decl) {
  std::string args;
  for (size_t i = 0; i < e.args.size(); ++i) args += (i ? ", " : "") + text(e.args[i]->range);
  if (decl->kind == DeclKind::Table) {
    auto* table = static_cast<const TableDecl*>(decl);
    std::string fixed = e.callee.text + "[" + args + "]";
    report(Diag::TableCalled, e.callee.range, {e.callee.text}).withHelp(Diag::HelpWrite, {fixed}, {{e.range, fixed}});
    for (size_t i = 0; i < e.args.size(); ++i)
      check(*e.args[i], scope, i < table->keys.size() ? table->keys[i].type : nullptr);
    if (e.args.size() != table->keys.size() || isError(table->valueType)) return error(e);
    return set(e, c_.types.withOptional(table->valueType, true));
  }
  Diagnostic& d = report(Diag::NotAFunction, e.callee.range, {e.callee.text, "a set"});
  if (e.args.size() == 1) {
    std::string fixed = args + " in " + e.callee.text;
    d.withHelp(Diag::HelpUseIn, {fixed}, {{e.range, fixed}});
  } else {
    d.withHelp(Diag::HelpUseIn, {"x in " + e.callee.text});
  }
  for (auto& a : e.args) check(*a, scope, nullptr);
  return set(e, c_.types.get(TypeKind::Bool, true));
}

const Type* ExprChecker::checkLookup(LookupExpr& e, const Scope& scope) {
  std::string n = e.table->kind == ExprKind::Name ? static_cast<NameExpr&>(*e.table).name : "";
  auto it = globals_.byName.find(n);
  if (it == globals_.byName.end() || it->second->kind != DeclKind::Table) {
    if (!n.empty() && globals_.broken.count(n)) return error(e);
    std::string keys;
    for (size_t i = 0; i < e.keys.size(); ++i) keys += (i ? ", " : "") + text(e.keys[i]->range);
    if (it != globals_.byName.end() && it->second->kind == DeclKind::Indicator) {
      std::string fixed = n + "(" + keys + ")";
      report(Diag::NotATable, e.table->range, {n, "an indicator"}).withHelp(Diag::HelpCall, {fixed}, {{e.range, fixed}});
      return error(e);
    }
    if (it != globals_.byName.end() && it->second->kind == DeclKind::Set) {
      std::string fixed = keys + " in " + n;
      report(Diag::NotATable, e.table->range, {n, "a set"}).withHelp(Diag::HelpUseIn, {fixed}, {{e.range, fixed}});
      return error(e);
    }
    std::vector<std::string> names;
    for (auto& [name, decl] : globals_.byName)
      if (decl->kind == DeclKind::Table) names.push_back(name);
    std::string best = closestMatch(n, names);
    Diagnostic& d = report(Diag::UnknownTable, e.table->range, {n.empty() ? text(e.table->range) : n, suggestion(n, names)});
    if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{e.table->range, best}});
    return error(e);
  }
  auto* table = static_cast<const TableDecl*>(it->second);
  e.decl = table;
  if (e.keys.size() != table->keys.size()) {
    report(Diag::TableKeyCount, e.range, {n, std::to_string(table->keys.size()), std::to_string(e.keys.size())});
    return error(e);
  }
  bool ok = true;
  for (size_t i = 0; i < e.keys.size(); ++i) {
    const Type* want = table->keys[i].type;
    const Type* got = check(*e.keys[i], scope, want);
    if (isError(got) || isError(want)) {
      ok = false;
      continue;
    }
    if (!sameValueType(got, want)) {
      report(Diag::TypeMismatch, e.keys[i]->range, {toString(want), toString(got)});
      ok = false;
    }
  }
  if (!ok || isError(table->valueType)) return error(e);
  return set(e, c_.types.withOptional(table->valueType, true));  // no row: missing
}

const Type* ExprChecker::checkQuantifier(QuantifierExpr& e, const Scope& scope) {
  static const char* const kWords[] = {"any", "all", "count", "sum", "min", "max"};
  const char* word = kWords[static_cast<int>(e.quantifier)];
  const Type* list = check(*e.list, scope, nullptr);
  if (isError(list)) return error(e);
  if (list->kind != TypeKind::List) {
    report(Diag::NotAList, e.list->range, {word, toString(list)});
    return error(e);
  }
  if (scope.find(e.var.text)) report(Diag::DuplicateLocal, e.var.range, {e.var.text});
  c_.quantifierLocals.push_back(std::make_unique<Local>(Local{Local::Kind::Quantified, e.var, list->element, nullptr}));
  e.local = c_.quantifierLocals.back().get();
  Scope inner = scope;
  inner.locals.push_back(e.local);
  bool boolean = e.quantifier == QuantifierKind::Any || e.quantifier == QuantifierKind::All ||
                 e.quantifier == QuantifierKind::Count;
  const Type* body = check(*e.body, inner, boolean ? c_.types.get(TypeKind::Bool) : nullptr);
  if (isError(body)) return error(e);
  if (boolean) {
    if (body->kind != TypeKind::Bool) {
      report(Diag::ConditionNotBool, e.body->range, {toString(body)});
      return error(e);
    }
    if (e.quantifier == QuantifierKind::Count) return set(e, c_.types.get(TypeKind::Int));
    return set(e, c_.types.get(TypeKind::Bool, body->optional));
  }
  bool summable = body->kind == TypeKind::Int || body->kind == TypeKind::Decimal || body->kind == TypeKind::Money;
  bool ordered = summable || body->kind == TypeKind::Date;
  if (e.quantifier == QuantifierKind::Sum ? !summable : !ordered) {
    report(Diag::TypeMismatch, e.body->range, {e.quantifier == QuantifierKind::Sum ? "a number or money" : "a number, money or a date", toString(body)});
    return error(e);
  }
  // sum of nothing is 0; min/max of nothing is missing
  return set(e, c_.types.withOptional(body, e.quantifier != QuantifierKind::Sum));
}

void ExprChecker::checkOperands(BinaryExpr& e, const Scope& scope, const Type*& l, const Type*& r) {
  // A literal takes its type from the other side, so type that side first.
  auto hint = [&](const Type* other) -> const Type* {
    if (isError(other)) return nullptr;
    bool arith = e.op == BinaryOp::Mul || e.op == BinaryOp::Div;
    if (arith) return nullptr;  // money × 70%: the number stays a number
    if ((e.op == BinaryOp::Add || e.op == BinaryOp::Sub) && other->kind == TypeKind::Date)
      return c_.types.get(TypeKind::Int);
    return c_.types.withOptional(other, false);
  };
  if (isContextual(*e.lhs, scope) && !isContextual(*e.rhs, scope)) {
    r = check(*e.rhs, scope, nullptr);
    l = check(*e.lhs, scope, hint(r));
  } else {
    l = check(*e.lhs, scope, nullptr);
    r = check(*e.rhs, scope, isContextual(*e.rhs, scope) ? hint(l) : nullptr);
  }
}

const Type* ExprChecker::checkBinary(BinaryExpr& e, const Scope& scope, const Type* expected) {
  if (e.op == BinaryOp::And || e.op == BinaryOp::Or) {
    const Type* b = c_.types.get(TypeKind::Bool);
    const Type* l = check(*e.lhs, scope, b);
    const Type* r = check(*e.rhs, scope, b);
    bool ok = true;
    for (auto [side, t] : {std::pair{e.lhs.get(), l}, std::pair{e.rhs.get(), r}}) {
      if (isError(t)) {
        ok = false;
      } else if (t->kind != TypeKind::Bool) {
        report(Diag::LogicNotBool, side->range, {spelling(e.op), toString(t)});
        ok = false;
      }
    }
    if (!ok) return error(e);
    return set(e, c_.types.get(TypeKind::Bool, l->optional || r->optional));
  }
  if (e.op == BinaryOp::Coalesce) {
    const Type* l = check(*e.lhs, scope, expected);
    if (isError(l)) {
      check(*e.rhs, scope, nullptr);
      return error(e);
    }
    const Type* want = c_.types.withOptional(l, false);
    const Type* r = check(*e.rhs, scope, want);
    if (isError(r)) return error(e);
    if (!assignable(*e.rhs, r, want)) {
      report(Diag::CoalesceMismatch, e.rhs->range, {toString(l), toString(r)});
      return error(e);
    }
    return set(e, c_.types.withOptional(l, r->optional));
  }
  const Type *l, *r;
  checkOperands(e, scope, l, r);
  if (isError(l) || isError(r)) return error(e);
  if (e.op >= BinaryOp::Eq) return checkComparison(e, l, r);
  return checkArithmetic(e, l, r);
}

const Type* ExprChecker::checkArithmetic(BinaryExpr& e, const Type* l, const Type* r) {
  bool optional = l->optional || r->optional;
  auto result = [&](TypeKind k) { return set(e, c_.types.get(k, optional)); };
  TypeKind a = l->kind, b = r->kind;
  auto num = [](TypeKind k) { return k == TypeKind::Int || k == TypeKind::Decimal; };
  switch (e.op) {
    case BinaryOp::Add:
    case BinaryOp::Sub:
      if (a == TypeKind::Int && b == TypeKind::Int) return result(TypeKind::Int);
      if (num(a) && num(b)) return result(TypeKind::Decimal);
      if (a == TypeKind::Money && b == TypeKind::Money) return result(TypeKind::Money);
      if (a == TypeKind::Date && b == TypeKind::Int) return result(TypeKind::Date);
      if (e.op == BinaryOp::Sub && a == TypeKind::Date && b == TypeKind::Date) return result(TypeKind::Int);
      if (e.op == BinaryOp::Add && a == TypeKind::Int && b == TypeKind::Date) return result(TypeKind::Date);
      break;
    case BinaryOp::Mul:
      if (a == TypeKind::Int && b == TypeKind::Int) return result(TypeKind::Int);
      if (num(a) && num(b)) return result(TypeKind::Decimal);
      if ((a == TypeKind::Money && num(b)) || (num(a) && b == TypeKind::Money)) return result(TypeKind::Money);
      break;
    case BinaryOp::Div:
      if (num(a) && num(b)) return result(TypeKind::Decimal);
      if (a == TypeKind::Money && num(b)) return result(TypeKind::Money);
      if (a == TypeKind::Money && b == TypeKind::Money) return result(TypeKind::Decimal);
      break;
    default:
      break;
  }
  std::string hint;
  if ((a == TypeKind::Money && num(b)) || (num(a) && b == TypeKind::Money))
    hint = "; convert with money(…) or decimal(…)";
  report(Diag::BadArithmetic, e.opRange, {spelling(e.op), toString(l), toString(r), hint});
  return error(e);
}

const Type* ExprChecker::checkComparison(BinaryExpr& e, const Type* l, const Type* r) {
  bool ordering = e.op != BinaryOp::Eq && e.op != BinaryOp::Ne;
  TypeKind a = l->kind, b = r->kind;
  bool ok = false;
  if (isNumeric(l) && isNumeric(r)) {
    ok = true;
  } else if (sameValueType(l, r)) {
    switch (a) {
      case TypeKind::Money: case TypeKind::Date: case TypeKind::Enum: ok = true; break;
      case TypeKind::Bool: case TypeKind::String: case TypeKind::Code: case TypeKind::Hs:
      case TypeKind::Country: case TypeKind::Currency:
        ok = !ordering;
        break;
      default: ok = false;
    }
  }
  if (!ok) {
    std::string hint;
    if ((a == TypeKind::Money && isNumeric(r)) || (isNumeric(l) && b == TypeKind::Money))
      hint = ": money compares only with money; convert with money(…) or decimal(…)";
    else if (sameValueType(l, r) && ordering)
      hint = std::string(": values of type ") + toString(c_.types.withOptional(l, false)) + " can only be compared with == and !=";
    report(Diag::CannotCompare, e.range, {toString(l), toString(r), hint});
    return error(e);
  }
  return set(e, c_.types.get(TypeKind::Bool, l->optional || r->optional));
}

const Type* ExprChecker::checkSetSide(Expr& e, const Scope& scope, const Type* expected) {
  setAllowed_ = true;
  const Type* t = check(e, scope, expected);
  setAllowed_ = false;
  return t;
}

const Type* ExprChecker::checkIn(InExpr& e, const Scope& scope) {
  const Type *el, *s;
  if (isContextual(*e.element, scope) && !isContextual(*e.set, scope)) {
    s = checkSetSide(*e.set, scope, nullptr);
    el = check(*e.element, scope, !isError(s) && s->kind == TypeKind::Set ? s->element : nullptr);
  } else {
    el = check(*e.element, scope, nullptr);
    // An inline set takes its type from the element: nothing more to say when that is wrong.
    if (isError(el) && e.set->kind == ExprKind::SetLit) return error(e);
    // Sets hold exact values; a decimal or money amount is tested with comparisons (as for
    // named sets, whose `set<decimal>` resolveType refuses).
    if (!isError(el) && (el->kind == TypeKind::Decimal || el->kind == TypeKind::Money) &&
        e.set->kind == ExprKind::SetLit) {
      report(Diag::AmountInSet, e.set->range, {toString(c_.types.withOptional(el, false))});
      return error(e);
    }
    s = checkSetSide(*e.set, scope, isError(el) ? nullptr : c_.types.setOf(c_.types.withOptional(el, false)));
  }
  if (isError(el) || isError(s)) return error(e);
  if (s->kind != TypeKind::Set) {
    report(Diag::NotASet, e.set->range, {toString(s)});
    return error(e);
  }
  if (!sameValueType(c_.types.withOptional(el, false), s->element)) {
    report(Diag::SetMemberType, e.range, {toString(el), toString(s->element)});
    return error(e);
  }
  return set(e, c_.types.get(TypeKind::Bool, el->optional));
}

void ExprChecker::checkSetLiteral(SetLitExpr& s, const Type* setType) {
  s.type = setType;
  const Type* element = setType->element;
  Scope none;
  for (SetElement& el : s.elements) {
    for (Expr* end : {el.low.get(), el.high.get()}) {
      if (end == nullptr) continue;
      bool literal = end->kind == ExprKind::StringLit || isNumericLiteral(*end) || end->kind == ExprKind::Name ||
                     end->kind == ExprKind::DateLit;
      if (!literal) {
        report(Diag::SetElementLiteral, end->range);
        error(*end);
        continue;
      }
      const Type* t = check(*end, none, element);
      if (!isError(t) && !sameValueType(t, element) && !(isNumeric(t) && element->kind == TypeKind::Decimal))
        report(Diag::TypeMismatch, end->range, {toString(element), toString(t)});
    }
    if (!el.high) continue;
    if (element->kind != TypeKind::Hs) {
      report(Diag::RangeNotHs, el.high->range);
      continue;
    }
    if (isError(el.low->type) || isError(el.high->type)) continue;
    auto& lo = static_cast<StringLit&>(*el.low);
    auto& hi = static_cast<StringLit&>(*el.high);
    if (lo.value.size() != hi.value.size())
      report(Diag::RangeLengths, SourceRange{lo.range.file, lo.range.begin, hi.range.end});
    else if (lo.value > hi.value)
      report(Diag::RangeOrder, SourceRange{lo.range.file, lo.range.begin, hi.range.end}, {lo.value, hi.value});
  }
}

bool ExprChecker::assignable(const Expr& e, const Type* from, const Type* to) const {
  if (isError(from) || isError(to)) return true;
  if (sameValueType(from, to)) return true;
  if (from->kind == TypeKind::Int && to->kind == TypeKind::Decimal) return true;
  return isNumericLiteral(e) && (to->kind == TypeKind::Money || to->kind == TypeKind::Decimal);
}

void ExprChecker::checkRenderable(Expr& e, const Scope& scope) {
  const Type* t = check(e, scope, nullptr);
  if (isError(t)) return;
  if (t->kind == TypeKind::Record || t->kind == TypeKind::List || t->kind == TypeKind::Set)
    report(Diag::TypeMismatch, e.range, {"a value that can be shown in a reason", toString(t)});
}

void ExprChecker::checkLiteral(LiteralValue& v, const Type* t) {
  if (isError(t)) return;
  std::string what = toString(c_.types.withOptional(t, false));
  if (t->kind == TypeKind::Record) {
    if (v.kind != LiteralValue::Kind::Object) {
      report(Diag::LiteralNotObject, v.range, {"record `" + what + "`"});
      return;
    }
    const RecordDecl* r = t->record;
    std::vector<bool> given(r->fields.size(), false);
    std::vector<std::string> names;
    for (auto& fd : r->fields) names.push_back(fd.name.text);
    for (auto& [name, value] : v.fields) {
      int index = r->findField(name.text);
      if (index < 0) {
        report(Diag::UnknownField, name.range, {"record `" + r->name.text + "`", name.text, suggestion(name.text, names)});
        continue;
      }
      if (given[index]) report(Diag::DuplicateField, name.range, {name.text});
      given[index] = true;
      checkLiteral(*value, r->fields[index].type);
    }
    for (size_t i = 0; i < r->fields.size(); ++i) {
      const Type* ft = r->fields[i].type;
      if (!given[i] && ft && !ft->optional && ft->kind != TypeKind::List)
        report(Diag::LiteralRequiredField, v.range, {"record `" + r->name.text + "`", r->fields[i].name.text});
    }
    return;
  }
  if (t->kind == TypeKind::List) {
    if (v.kind != LiteralValue::Kind::List) {
      report(Diag::LiteralNotList, v.range, {what});
      return;
    }
    for (auto& el : v.elements) checkLiteral(*el, t->element);
    return;
  }
  if (v.kind != LiteralValue::Kind::Scalar) {
    report(Diag::LiteralValue, v.range, {what});
    return;
  }
  // A test's input is data: literals only, so that it reads like the declaration it stands for.
  ExprKind k = v.scalar->kind;
  if (k != ExprKind::IntLit && k != ExprKind::DecimalLit && k != ExprKind::PercentLit && k != ExprKind::StringLit &&
      k != ExprKind::DateLit && k != ExprKind::BoolLit && k != ExprKind::Name) {
    report(Diag::LiteralValue, v.range, {what});
    return;
  }
  Scope none;
  const Type* got = check(*v.scalar, none, t);
  if (!isError(got) && !assignable(*v.scalar, got, t))
    report(Diag::TypeMismatch, v.scalar->range, {what, toString(got)});
}

}  // namespace daliz
