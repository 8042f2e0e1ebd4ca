#include "compiler/codegen/guard.h"

#include <algorithm>
#include <optional>

namespace daliz {
namespace {

void conjuncts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == ExprKind::Binary && static_cast<const BinaryExpr&>(e).op == BinaryOp::And) {
    conjuncts(*static_cast<const BinaryExpr&>(e).lhs, out);
    conjuncts(*static_cast<const BinaryExpr&>(e).rhs, out);
    return;
  }
  out.push_back(&e);
}

// `var.field`, or `declaration.field` when var is null: the field index, with the prefix
// length of a `.chapter/.heading/.subheading` applied on top (0 when none), or -1.
int fieldOf(const Expr& e, const Local* var, int& prefixLength) {
  prefixLength = 0;
  const Expr* x = &e;
  if (x->kind == ExprKind::Field) {
    auto& f = static_cast<const FieldExpr&>(*x);
    if (f.base->type && f.base->type->kind == TypeKind::Hs) {
      prefixLength = 2 + 2 * f.fieldIndex;
      x = f.base.get();
    }
  }
  if (x->kind != ExprKind::Field) return -1;
  auto& f = static_cast<const FieldExpr&>(*x);
  if (!var) return f.base->kind == ExprKind::Declaration ? f.fieldIndex : -1;
  if (f.base->kind != ExprKind::Name) return -1;
  auto& n = static_cast<const NameExpr&>(*f.base);
  if (n.ref != NameRef::Local || n.local != var) return -1;
  return f.fieldIndex;
}

bool isIntLike(TypeKind k) {
  return k == TypeKind::Country || k == TypeKind::Currency || k == TypeKind::Enum || k == TypeKind::Int;
}
bool isText(TypeKind k) { return k == TypeKind::Code || k == TypeKind::String; }

// A literal's value in the representation of a field of kind `field` (int and date: the
// value; decimal and money: units of 10^-6), if it has one exactly.
std::optional<__int128> numericValue(const Expr& literal, TypeKind field) {
  const bool units = field == TypeKind::Decimal || field == TypeKind::Money;
  switch (literal.kind) {
    case ExprKind::IntLit: {
      __int128 v = static_cast<const IntLit&>(literal).value;
      if (field == TypeKind::Int) return v;
      if (units) return v * Decimal::kOne;
      return std::nullopt;
    }
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit:
      if (units) return static_cast<const DecimalLit&>(literal).value.units;
      return std::nullopt;
    case ExprKind::DateLit:
      if (field == TypeKind::Date) return static_cast<const DateLit&>(literal).value.days;
      return std::nullopt;
    default: return std::nullopt;
  }
}

// `a op b` as `b op' a`: the comparison with its operands swapped.
BinaryOp mirrored(BinaryOp op) {
  switch (op) {
    case BinaryOp::Lt: return BinaryOp::Gt;
    case BinaryOp::Le: return BinaryOp::Ge;
    case BinaryOp::Gt: return BinaryOp::Lt;
    case BinaryOp::Ge: return BinaryOp::Le;
    default: return op;
  }
}

constexpr __int128 kLowest = -(static_cast<__int128>(1) << 126), kHighest = static_cast<__int128>(1) << 126;

// `field op literal` (either way round) on a numeric field: the closed range it allows.
GuardSpec rangeConjunct(const BinaryExpr& b, const Local* var) {
  GuardSpec g;
  BinaryOp op = b.op;
  const Expr* side = b.lhs.get();
  const Expr* value = b.rhs.get();
  int prefix = 0;
  int field = fieldOf(*side, var, prefix);
  if (field < 0) {
    std::swap(side, value);
    field = fieldOf(*side, var, prefix);
    op = mirrored(op);
  }
  if (field < 0 || prefix != 0 || !side->type) return g;
  auto v = numericValue(*value, side->type->kind);
  if (!v) return g;
  g.kind = GuardSpec::Range;
  g.field = static_cast<uint32_t>(field);
  g.low = kLowest;
  g.high = kHighest;
  switch (op) {
    case BinaryOp::Lt: g.high = *v - 1; break;
    case BinaryOp::Le: g.high = *v; break;
    case BinaryOp::Gt: g.low = *v + 1; break;
    default: g.low = *v; break;
  }
  return g;
}

// A guard from one conjunct, or kind None.
GuardSpec fromConjunct(const Expr& e, const Local* var, ProgramTables& tables) {
  GuardSpec g;
  int prefix = 0;
  if (e.kind == ExprKind::In) {
    auto& in = static_cast<const InExpr&>(e);
    int field = fieldOf(*in.element, var, prefix);
    if (in.negated || field < 0 || prefix != 0 || !in.element->type) return g;
    uint16_t set = in.set->kind == ExprKind::Name ? tables.namedSet(static_cast<const NameExpr&>(*in.set).set)
                                                 : tables.inlineSet(static_cast<const SetLitExpr&>(*in.set));
    const SetSpec& spec = tables.set(set);
    g.field = static_cast<uint32_t>(field);
    TypeKind k = in.element->type->kind;
    if (spec.kind == SetKind::Hs && k == TypeKind::Hs) {
      g.kind = GuardSpec::Hs;
      g.hs = spec.hs;
    } else if (spec.kind == SetKind::Int && isIntLike(k)) {
      g.kind = GuardSpec::Int;
      g.ints = spec.ints;
    } else if (spec.kind == SetKind::String && isText(k)) {
      g.kind = GuardSpec::String;
      g.strings = spec.strings;
    }
    return g;
  }
  if (e.kind != ExprKind::Binary) return g;
  auto& b = static_cast<const BinaryExpr&>(e);
  if (b.op == BinaryOp::Lt || b.op == BinaryOp::Le || b.op == BinaryOp::Gt || b.op == BinaryOp::Ge)
    return rangeConjunct(b, var);
  if (b.op != BinaryOp::Eq) return g;
  const Expr* side = b.lhs.get();
  const Expr* value = b.rhs.get();
  if (value->kind != ExprKind::StringLit && value->kind != ExprKind::Name && value->kind != ExprKind::IntLit)
    std::swap(side, value);
  int field = fieldOf(*side, var, prefix);
  if (field < 0 || !side->type) return g;
  g.field = static_cast<uint32_t>(field);
  TypeKind k = side->type->kind;
  if (k == TypeKind::Hs && value->kind == ExprKind::StringLit) {
    const std::string& digits = static_cast<const StringLit&>(*value).value;
    uint64_t n = std::stoull(digits);
    g.kind = GuardSpec::Hs;
    g.hs.push_back({n, n, static_cast<uint8_t>(digits.size())});
  } else if (prefix == 0 && isText(k) && value->kind == ExprKind::StringLit) {
    g.kind = GuardSpec::String;
    g.strings.push_back(static_cast<const StringLit&>(*value).value);
  } else if (prefix == 0 && isIntLike(k)) {
    if (value->kind == ExprKind::StringLit) g.ints.push_back(static_cast<int64_t>(static_cast<const StringLit&>(*value).encoded));
    else if (value->kind == ExprKind::Name && static_cast<const NameExpr&>(*value).ref == NameRef::EnumValue)
      g.ints.push_back(static_cast<const NameExpr&>(*value).enumValue);
    else if (value->kind == ExprKind::IntLit && k == TypeKind::Int)
      g.ints.push_back(static_cast<const IntLit&>(*value).value);
    else return g;
    g.kind = GuardSpec::Int;
  }
  return g;
}

// How much a guard is preferred: hs codes are the most selective in practice, then a
// threshold (analysts bound the tail of a value), then equality with a few codes.
int rank(const GuardSpec& g) {
  switch (g.kind) {
    case GuardSpec::Hs: return 3;
    case GuardSpec::Range: return 2;
    case GuardSpec::Int:
    case GuardSpec::String: return 1;
    default: return 0;
  }
}

// The preferred guard among the conjuncts; range conjuncts on the same field intersect.
GuardSpec best(const std::vector<const Expr*>& parts, const Local* var, ProgramTables& tables) {
  GuardSpec chosen;
  std::vector<GuardSpec> ranges;
  for (const Expr* c : parts) {
    GuardSpec g = fromConjunct(*c, var, tables);
    if (g.kind == GuardSpec::Range) {
      auto same = std::find_if(ranges.begin(), ranges.end(), [&](const GuardSpec& r) { return r.field == g.field; });
      if (same == ranges.end()) {
        ranges.push_back(g);
      } else {
        same->low = std::max(same->low, g.low);
        same->high = std::min(same->high, g.high);
      }
      continue;
    }
    if (rank(g) > rank(chosen)) chosen = std::move(g);
  }
  for (GuardSpec& r : ranges) {
    // An empty range: the profile can never fire (`daliz lint` reports it). A one-value range
    // in its place keeps the bundle valid and is sound: the profile's own code still decides.
    if (r.low > r.high) r.high = r.low;
    if (rank(r) > rank(chosen)) chosen = r;
  }
  return chosen;
}

// `count(x in L: body) >= k` (k >= 1), `count(…) > k` (k >= 0), or the same mirrored: some
// element must make the body true, exactly as for `any`. Returns the quantifier, or null.
const QuantifierExpr* itemCountAtLeastOne(const Expr& e) {
  if (e.kind != ExprKind::Binary) return nullptr;
  auto& b = static_cast<const BinaryExpr&>(e);
  const Expr* count = b.lhs.get();
  const Expr* bound = b.rhs.get();
  BinaryOp op = b.op;
  if (count->kind != ExprKind::Quantifier) {
    std::swap(count, bound);
    op = mirrored(op);
  }
  if (count->kind != ExprKind::Quantifier || bound->kind != ExprKind::IntLit) return nullptr;
  auto& q = static_cast<const QuantifierExpr&>(*count);
  int64_t k = static_cast<const IntLit&>(*bound).value;
  if (q.quantifier != QuantifierKind::Count) return nullptr;
  if ((op == BinaryOp::Ge && k >= 1) || (op == BinaryOp::Gt && k >= 0)) return &q;
  return nullptr;
}

}  // namespace

GuardSpec findGuard(const ProfileDecl& p, ProgramTables& tables, uint32_t itemsField,
                    const QuantifierExpr** quantifier) {
  if (quantifier) *quantifier = nullptr;
  if (!p.when) return {};
  std::vector<const Expr*> parts;
  conjuncts(*p.when, parts);
  if (p.itemLocal) return best(parts, p.itemLocal, tables);
  // Declaration scope: a test of the declaration's own fields, or the same tests as in item
  // scope inside `any(x in declaration.items: guard and …)` or a count of such items that
  // must be at least 1.
  GuardSpec chosen = best(parts, nullptr, tables);
  chosen.onDeclaration = chosen.kind != GuardSpec::None;
  for (const Expr* c : parts) {
    const QuantifierExpr* found = itemCountAtLeastOne(*c);
    if (!found && c->kind == ExprKind::Quantifier && static_cast<const QuantifierExpr&>(*c).quantifier == QuantifierKind::Any)
      found = static_cast<const QuantifierExpr*>(c);
    if (!found) continue;
    const QuantifierExpr& q = *found;
    if (q.list->kind != ExprKind::Field) continue;
    auto& list = static_cast<const FieldExpr&>(*q.list);
    if (list.base->kind != ExprKind::Declaration || list.fieldIndex != static_cast<int>(itemsField)) continue;
    std::vector<const Expr*> inner;
    conjuncts(*q.body, inner);
    GuardSpec g = best(inner, q.local, tables);
    // Some item's hs code beats everything; a test on the declaration beats the same test on
    // some item.
    if (g.kind != GuardSpec::None && (g.kind == GuardSpec::Hs || chosen.kind == GuardSpec::None)) {
      g.anyItem = true;
      chosen = std::move(g);
      if (quantifier) *quantifier = &q;
    }
  }
  return chosen;
}

}  // namespace daliz
