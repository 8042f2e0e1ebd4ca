#include "compiler/codegen/guard.h"

#include <algorithm>

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

// `var.field` where var is the given local: the field index, with the prefix length of a
// `.chapter/.heading/.subheading` applied on top (0 when none), or -1.
int itemField(const Expr& e, const Local* var, int& prefixLength) {
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
  if (f.base->kind != ExprKind::Name) return -1;
  auto& n = static_cast<const NameExpr&>(*f.base);
  if (n.ref != NameRef::Local || n.local != var) return -1;
  return f.fieldIndex;
}

bool isIntLike(TypeKind k) {
  return k == TypeKind::Country || k == TypeKind::Currency || k == TypeKind::Enum || k == TypeKind::Int;
}

// A guard from one conjunct, or kind None.
GuardSpec fromConjunct(const Expr& e, const Local* var, ProgramTables& tables) {
  GuardSpec g;
  int prefix = 0;
  if (e.kind == ExprKind::In) {
    auto& in = static_cast<const InExpr&>(e);
    int field = itemField(*in.element, var, prefix);
    if (in.negated || field < 0 || prefix != 0) return g;
    uint16_t set = in.set->kind == ExprKind::Name ? tables.namedSet(static_cast<const NameExpr&>(*in.set).set)
                                                 : tables.inlineSet(static_cast<const SetLitExpr&>(*in.set));
    const SetSpec& spec = tables.set(set);
    g.field = static_cast<uint32_t>(field);
    if (spec.kind == SetKind::Hs) {
      g.kind = GuardSpec::Hs;
      g.hs = spec.hs;
    } else if (spec.kind == SetKind::Int && isIntLike(in.element->type->kind)) {
      g.kind = GuardSpec::Int;
      g.ints = spec.ints;
    }
    return g;
  }
  if (e.kind == ExprKind::Binary && static_cast<const BinaryExpr&>(e).op == BinaryOp::Eq) {
    auto& b = static_cast<const BinaryExpr&>(e);
    const Expr* side = b.lhs.get();
    const Expr* value = b.rhs.get();
    if (value->kind != ExprKind::StringLit && value->kind != ExprKind::Name) std::swap(side, value);
    int field = itemField(*side, var, prefix);
    if (field < 0 || !side->type) return g;
    g.field = static_cast<uint32_t>(field);
    if (side->type->kind == TypeKind::Hs && value->kind == ExprKind::StringLit) {
      const std::string& digits = static_cast<const StringLit&>(*value).value;
      uint64_t n = std::stoull(digits);
      g.kind = GuardSpec::Hs;
      g.hs.push_back({n, n, static_cast<uint8_t>(digits.size())});
    } else if (prefix == 0 && isIntLike(side->type->kind)) {
      if (value->kind == ExprKind::StringLit) g.ints.push_back(static_cast<int64_t>(static_cast<const StringLit&>(*value).encoded));
      else if (value->kind == ExprKind::Name && static_cast<const NameExpr&>(*value).ref == NameRef::EnumValue)
        g.ints.push_back(static_cast<const NameExpr&>(*value).enumValue);
      else return g;
      g.kind = GuardSpec::Int;
    }
    return g;
  }
  return g;
}

// Prefer an hs guard (the most selective in practice), then any other.
GuardSpec best(const std::vector<const Expr*>& parts, const Local* var, ProgramTables& tables) {
  GuardSpec chosen;
  for (const Expr* c : parts) {
    GuardSpec g = fromConjunct(*c, var, tables);
    if (g.kind == GuardSpec::Hs) return g;
    if (g.kind != GuardSpec::None && chosen.kind == GuardSpec::None) chosen = std::move(g);
  }
  return chosen;
}

}  // namespace

GuardSpec findGuard(const ProfileDecl& p, ProgramTables& tables, uint32_t itemsField) {
  if (!p.when) return {};
  std::vector<const Expr*> parts;
  conjuncts(*p.when, parts);
  if (p.itemLocal) return best(parts, p.itemLocal, tables);
  // Declaration scope: any(x in declaration.items: guard and …).
  for (const Expr* c : parts) {
    if (c->kind != ExprKind::Quantifier) continue;
    auto& q = static_cast<const QuantifierExpr&>(*c);
    if (q.quantifier != QuantifierKind::Any || q.list->kind != ExprKind::Field) continue;
    auto& list = static_cast<const FieldExpr&>(*q.list);
    if (list.base->kind != ExprKind::Declaration || list.fieldIndex != static_cast<int>(itemsField)) continue;
    std::vector<const Expr*> inner;
    conjuncts(*q.body, inner);
    GuardSpec g = best(inner, q.local, tables);
    if (g.kind != GuardSpec::None) {
      g.anyItem = true;
      return g;
    }
  }
  return {};
}

}  // namespace daliz
