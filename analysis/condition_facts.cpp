#include "analysis/condition_facts.h"

#include <set>
#include <unordered_map>

#include <algorithm>
#include <functional>

namespace daliz::analysis {

// ---- terms -----------------------------------------------------------------------------

bool LocalPairs::match(const Local* a, const Local* b) const {
  for (auto it = pairs_.rbegin(); it != pairs_.rend(); ++it) {
    if (it->first == a || it->second == b) return it->first == a && it->second == b;
  }
  return a == b;
}

namespace {

// A `let` name stands for its expression.
const Expr& throughLets(const Expr& e) {
  const Expr* x = &e;
  while (x->kind == ExprKind::Name) {
    auto& n = static_cast<const NameExpr&>(*x);
    if (n.ref != NameRef::Local || n.local == nullptr || n.local->kind != Local::Kind::Let ||
        n.local->value == nullptr)
      break;
    x = n.local->value;
  }
  return *x;
}

bool isDecimalLit(const Expr& e) {
  return e.kind == ExprKind::DecimalLit || e.kind == ExprKind::PercentLit;
}

bool sameList(const std::vector<ExprPtr>& a, const std::vector<ExprPtr>& b, LocalPairs& pairs) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!sameExpr(*a[i], *b[i], pairs)) return false;
  return true;
}

}  // namespace

namespace {
bool sameResolved(const Expr& a, const Expr& b, LocalPairs& pairs);
}  // namespace

bool sameExpr(const Expr& a0, const Expr& b0, LocalPairs& pairs) {
  const Expr& a = throughLets(a0);
  const Expr& b = throughLets(b0);
  if (&a == &a0 && &b == &b0) return sameResolved(a, b, pairs);
  if (pairs.provenSame(&a, &b)) return true;
  const bool same = sameResolved(a, b, pairs);
  if (same) pairs.proveSame(&a, &b);
  return same;
}

namespace {

// sameExpr for expressions that are not `let` names.
bool sameResolved(const Expr& a, const Expr& b, LocalPairs& pairs) {
  if (a.type != b.type) return false;
  if (isDecimalLit(a) && isDecimalLit(b))
    return static_cast<const DecimalLit&>(a).value == static_cast<const DecimalLit&>(b).value;
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ExprKind::IntLit:
      return static_cast<const IntLit&>(a).value == static_cast<const IntLit&>(b).value;
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit:
      return false;  // handled above
    case ExprKind::StringLit:
      return static_cast<const StringLit&>(a).value == static_cast<const StringLit&>(b).value;
    case ExprKind::DateLit:
      return static_cast<const DateLit&>(a).value == static_cast<const DateLit&>(b).value;
    case ExprKind::BoolLit:
      return static_cast<const BoolLit&>(a).value == static_cast<const BoolLit&>(b).value;
    case ExprKind::Name: {
      auto& x = static_cast<const NameExpr&>(a);
      auto& y = static_cast<const NameExpr&>(b);
      if (x.ref != y.ref) return false;
      switch (x.ref) {
        case NameRef::Local:
          return x.local && y.local && pairs.match(x.local, y.local);
        case NameRef::Set:
          return x.set != nullptr && x.set == y.set;
        case NameRef::EnumValue:
          return x.enumValue == y.enumValue;
        case NameRef::Unresolved:
          return false;
      }
      return false;
    }
    case ExprKind::Declaration:
      return true;
    case ExprKind::Field: {
      auto& x = static_cast<const FieldExpr&>(a);
      auto& y = static_cast<const FieldExpr&>(b);
      return x.field.text == y.field.text && x.fieldIndex == y.fieldIndex &&
             sameExpr(*x.base, *y.base, pairs);
    }
    case ExprKind::MethodCall: {
      auto& x = static_cast<const MethodCallExpr&>(a);
      auto& y = static_cast<const MethodCallExpr&>(b);
      return x.method.text == y.method.text && sameExpr(*x.base, *y.base, pairs) &&
             sameList(x.args, y.args, pairs);
    }
    case ExprKind::Call: {
      auto& x = static_cast<const CallExpr&>(a);
      auto& y = static_cast<const CallExpr&>(b);
      return x.callee.text == y.callee.text && x.indicator == y.indicator &&
             x.builtin == y.builtin && sameList(x.args, y.args, pairs);
    }
    case ExprKind::Lookup: {
      auto& x = static_cast<const LookupExpr&>(a);
      auto& y = static_cast<const LookupExpr&>(b);
      return x.decl != nullptr && x.decl == y.decl && sameList(x.keys, y.keys, pairs);
    }
    case ExprKind::Quantifier: {
      auto& x = static_cast<const QuantifierExpr&>(a);
      auto& y = static_cast<const QuantifierExpr&>(b);
      if (x.quantifier != y.quantifier || !x.local || !y.local ||
          !sameExpr(*x.list, *y.list, pairs))
        return false;
      pairs.push(x.local, y.local);
      bool same = sameExpr(*x.body, *y.body, pairs);
      pairs.pop();
      return same;
    }
    case ExprKind::SetLit: {
      auto& x = static_cast<const SetLitExpr&>(a);
      auto& y = static_cast<const SetLitExpr&>(b);
      if (x.elements.size() != y.elements.size()) return false;
      for (size_t i = 0; i < x.elements.size(); ++i) {
        auto& p = x.elements[i];
        auto& q = y.elements[i];
        if (!sameExpr(*p.low, *q.low, pairs) || bool(p.high) != bool(q.high)) return false;
        if (p.high && !sameExpr(*p.high, *q.high, pairs)) return false;
      }
      return true;
    }
    case ExprKind::Neg:
    case ExprKind::Not:
      return sameExpr(*static_cast<const UnaryExpr&>(a).operand,
                      *static_cast<const UnaryExpr&>(b).operand, pairs);
    case ExprKind::Binary: {
      auto& x = static_cast<const BinaryExpr&>(a);
      auto& y = static_cast<const BinaryExpr&>(b);
      return x.op == y.op && sameExpr(*x.lhs, *y.lhs, pairs) && sameExpr(*x.rhs, *y.rhs, pairs);
    }
    case ExprKind::In: {
      auto& x = static_cast<const InExpr&>(a);
      auto& y = static_cast<const InExpr&>(b);
      return x.negated == y.negated && sameExpr(*x.element, *y.element, pairs) &&
             sameExpr(*x.set, *y.set, pairs);
    }
    case ExprKind::Is: {
      auto& x = static_cast<const IsExpr&>(a);
      auto& y = static_cast<const IsExpr&>(b);
      return x.missing == y.missing && sameExpr(*x.operand, *y.operand, pairs);
    }
    case ExprKind::Error:
      return false;
    default:
      return false;  // a kind not compared here is never the same: no proof is built on it
  }
}

}  // namespace

namespace {

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  return h;
}
uint64_t hashText(std::string_view s) { return std::hash<std::string_view>{}(s); }

}  // namespace

namespace {

// Hashes of `let` values already computed in one exprHash call.
using HashMemo = std::unordered_map<const Expr*, uint64_t>;
uint64_t hashWith(const Expr& e0, HashMemo& memo);

}  // namespace

uint64_t exprHash(const Expr& e) {
  HashMemo memo;
  return hashWith(e, memo);
}

namespace {

uint64_t hashWith(const Expr& e0, HashMemo& memo) {
  const Expr& e = throughLets(e0);
  if (&e != &e0) {
    if (auto it = memo.find(&e); it != memo.end()) return it->second;
    const uint64_t h = hashWith(e, memo);  // e is not a let name: computed below
    memo.emplace(&e, h);
    return h;
  }
  // Decimal and percent literals are one kind for sameExpr; the type is left out (it is
  // implied by the shape almost everywhere), which keeps the hash cheap and still consistent.
  uint64_t h = mix(0, isDecimalLit(e) ? static_cast<uint64_t>(ExprKind::DecimalLit)
                                      : static_cast<uint64_t>(e.kind));
  auto list = [&](const std::vector<ExprPtr>& v) {
    for (auto& x : v) h = mix(h, hashWith(*x, memo));
  };
  switch (e.kind) {
    case ExprKind::IntLit:
      return mix(h, static_cast<uint64_t>(static_cast<const IntLit&>(e).value));
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit: {
      auto units = static_cast<const DecimalLit&>(e).value.units;
      return mix(mix(h, static_cast<uint64_t>(units)), static_cast<uint64_t>(units >> 64));
    }
    case ExprKind::StringLit:
      return mix(h, hashText(static_cast<const StringLit&>(e).value));
    case ExprKind::DateLit:
      return mix(h, static_cast<uint64_t>(static_cast<const DateLit&>(e).value.days));
    case ExprKind::BoolLit:
      return mix(h, static_cast<const BoolLit&>(e).value);
    case ExprKind::Name: {
      auto& n = static_cast<const NameExpr&>(e);
      h = mix(h, static_cast<uint64_t>(n.ref));
      // Bound names hash by kind only: they are matched by pairing, not by name.
      if (n.ref == NameRef::Local)
        return mix(h, n.local ? static_cast<uint64_t>(n.local->kind) : 99);
      if (n.ref == NameRef::EnumValue) return mix(h, static_cast<uint64_t>(n.enumValue));
      return mix(h, hashText(n.name));
    }
    case ExprKind::Declaration:
      return h;
    case ExprKind::Field: {
      auto& f = static_cast<const FieldExpr&>(e);
      return mix(mix(h, hashText(f.field.text)), hashWith(*f.base, memo));
    }
    case ExprKind::MethodCall: {
      auto& m = static_cast<const MethodCallExpr&>(e);
      h = mix(mix(h, hashText(m.method.text)), hashWith(*m.base, memo));
      list(m.args);
      return h;
    }
    case ExprKind::Call: {
      auto& c = static_cast<const CallExpr&>(e);
      h = mix(h, hashText(c.callee.text));
      list(c.args);
      return h;
    }
    case ExprKind::Lookup: {
      auto& l = static_cast<const LookupExpr&>(e);
      h = mix(h, hashWith(*l.table, memo));
      list(l.keys);
      return h;
    }
    case ExprKind::Quantifier: {
      auto& q = static_cast<const QuantifierExpr&>(e);
      return mix(mix(mix(h, static_cast<uint64_t>(q.quantifier)), hashWith(*q.list, memo)),
                 hashWith(*q.body, memo));
    }
    case ExprKind::SetLit:
      for (auto& el : static_cast<const SetLitExpr&>(e).elements) {
        h = mix(h, hashWith(*el.low, memo));
        if (el.high) h = mix(h, hashWith(*el.high, memo));
      }
      return h;
    case ExprKind::Neg:
    case ExprKind::Not:
      return mix(h, hashWith(*static_cast<const UnaryExpr&>(e).operand, memo));
    case ExprKind::Binary: {
      auto& b = static_cast<const BinaryExpr&>(e);
      return mix(mix(mix(h, static_cast<uint64_t>(b.op)), hashWith(*b.lhs, memo)), hashWith(*b.rhs, memo));
    }
    case ExprKind::In: {
      auto& i = static_cast<const InExpr&>(e);
      return mix(mix(mix(h, i.negated), hashWith(*i.element, memo)), hashWith(*i.set, memo));
    }
    case ExprKind::Is: {
      auto& i = static_cast<const IsExpr&>(e);
      return mix(mix(h, i.missing), hashWith(*i.operand, memo));
    }
    case ExprKind::Error:
      return h;
    default:
      return h;
  }
}

}  // namespace

// ---- reading conjuncts as facts ----------------------------------------------------------

namespace {

Domain domainOf(const Type* t) {
  if (t == nullptr) return Domain::None;
  switch (t->kind) {
    case TypeKind::Int:
    case TypeKind::Decimal:
    case TypeKind::Money:
    case TypeKind::Date:
    case TypeKind::Enum:
      return Domain::Ordered;
    case TypeKind::String:
    case TypeKind::Code:
    case TypeKind::Country:
    case TypeKind::Currency:
    case TypeKind::Bool:
      return Domain::Text;
    case TypeKind::Hs:
      return Domain::Hs;
    default:
      return Domain::None;
  }
}

// Int, date and enum values are whole numbers: `x > 5` is `x >= 6` there.
bool wholeValues(const Type* t) {
  return t && (t->kind == TypeKind::Int || t->kind == TypeKind::Date || t->kind == TypeKind::Enum);
}

// The value of a literal, as a constant of the domain; nullopt for anything but a literal.
std::optional<Constant> constantOf(const Expr& e0, Domain d) {
  const Expr& e = throughLets(e0);
  Constant c;
  switch (d) {
    case Domain::Ordered:
      if (e.kind == ExprKind::IntLit) {
        c.number = Decimal::fromInt(static_cast<const IntLit&>(e).value);
        return c;
      }
      if (isDecimalLit(e)) {
        c.number = static_cast<const DecimalLit&>(e).value;
        return c;
      }
      if (e.kind == ExprKind::DateLit) {
        c.number = Decimal::fromInt(static_cast<const DateLit&>(e).value.days);
        return c;
      }
      if (e.kind == ExprKind::Name && static_cast<const NameExpr&>(e).ref == NameRef::EnumValue) {
        c.number = Decimal::fromInt(static_cast<const NameExpr&>(e).enumValue);
        return c;
      }
      return std::nullopt;
    case Domain::Text:
      if (e.kind == ExprKind::StringLit) {
        c.text = static_cast<const StringLit&>(e).value;
        return c;
      }
      if (e.kind == ExprKind::BoolLit) {
        c.text = static_cast<const BoolLit&>(e).value ? "true" : "false";
        return c;
      }
      return std::nullopt;
    case Domain::Hs:
      if (e.kind == ExprKind::StringLit) {
        c.text = static_cast<const StringLit&>(e).value;
        return c;
      }
      return std::nullopt;
    case Domain::None:
      return std::nullopt;
  }
  return std::nullopt;
}

bool isLiteral(const Expr& e0) {
  const Expr& e = throughLets(e0);
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit:
    case ExprKind::StringLit:
    case ExprKind::DateLit:
    case ExprKind::BoolLit:
      return true;
    case ExprKind::Name:
      return static_cast<const NameExpr&>(e).ref == NameRef::EnumValue;
    default:
      return false;
  }
}

// The elements of a set literal or named set, all literals; nullopt if one is not.
std::optional<std::vector<SetItem>> setItems(const Expr& s0, Domain d, const SetDecl*& named) {
  const Expr& s = throughLets(s0);
  const SetLitExpr* lit = nullptr;
  named = nullptr;
  if (s.kind == ExprKind::SetLit) {
    lit = &static_cast<const SetLitExpr&>(s);
  } else if (s.kind == ExprKind::Name && static_cast<const NameExpr&>(s).ref == NameRef::Set) {
    named = static_cast<const NameExpr&>(s).set;
    if (named) lit = named->elements.get();
  }
  if (lit == nullptr) return std::nullopt;
  std::vector<SetItem> items;
  for (const SetElement& el : lit->elements) {
    auto low = constantOf(*el.low, d);
    if (!low) return std::nullopt;
    SetItem item{*low, std::nullopt};
    if (el.high) {
      auto high = constantOf(*el.high, d);
      if (!high || d != Domain::Hs) return std::nullopt;
      item.high = high->text;
    }
    items.push_back(std::move(item));
  }
  return items;
}

BinaryOp flip(BinaryOp op) {  // c < x  is  x > c
  switch (op) {
    case BinaryOp::Lt:
      return BinaryOp::Gt;
    case BinaryOp::Le:
      return BinaryOp::Ge;
    case BinaryOp::Gt:
      return BinaryOp::Lt;
    case BinaryOp::Ge:
      return BinaryOp::Le;
    default:
      return op;
  }
}

BinaryOp negate(BinaryOp op) {  // not (x < c)  is  x >= c, for a present x
  switch (op) {
    case BinaryOp::Eq:
      return BinaryOp::Ne;
    case BinaryOp::Ne:
      return BinaryOp::Eq;
    case BinaryOp::Lt:
      return BinaryOp::Ge;
    case BinaryOp::Le:
      return BinaryOp::Gt;
    case BinaryOp::Gt:
      return BinaryOp::Le;
    case BinaryOp::Ge:
      return BinaryOp::Lt;
    default:
      return op;
  }
}

bool isComparison(BinaryOp op) {
  return op == BinaryOp::Eq || op == BinaryOp::Ne || op == BinaryOp::Lt || op == BinaryOp::Le ||
         op == BinaryOp::Gt || op == BinaryOp::Ge;
}

// Interval bounds of whole-valued terms are made closed, and enum values lie between the
// first and the last value: `category > high` is empty.
void normalize(Fact& f) {
  if (f.kind != Fact::Kind::Interval || !wholeValues(f.term->type)) return;
  auto whole = [](Decimal d) { return d.units % Decimal::kOne == 0; };
  if (f.lo.present && f.lo.open && whole(f.lo.value))
    f.lo = {true, Decimal{f.lo.value.units + Decimal::kOne}, false};
  if (f.hi.present && f.hi.open && whole(f.hi.value))
    f.hi = {true, Decimal{f.hi.value.units - Decimal::kOne}, false};
  if (f.term->type->kind == TypeKind::Enum && f.term->type->enumDecl) {
    Decimal first = Decimal::fromInt(0);
    Decimal last =
        Decimal::fromInt(static_cast<int64_t>(f.term->type->enumDecl->values.size()) - 1);
    if (!f.lo.present || f.lo.value < first) f.lo = {true, first, false};
    if (!f.hi.present || f.hi.value > last) f.hi = {true, last, false};
  }
}

// The fact a bool expression states when it must be true (`positive`) or false.
Fact factOf(const Expr& e0, bool positive) {
  const Expr& e = throughLets(e0);
  if (e.kind == ExprKind::Not) return factOf(*static_cast<const UnaryExpr&>(e).operand, !positive);
  Fact f;
  if (e.kind == ExprKind::Is) {
    auto& is = static_cast<const IsExpr&>(e);
    f.term = is.operand.get();
    f.domain = domainOf(f.term->type);
    f.kind = is.missing == positive ? Fact::Kind::Missing : Fact::Kind::Present;
    return f;
  }
  if (e.kind == ExprKind::In) {
    auto& in = static_cast<const InExpr&>(e);
    Domain d = domainOf(in.element->type);
    const SetDecl* named = nullptr;
    auto items = isLiteral(*in.element) ? std::nullopt : setItems(*in.set, d, named);
    if (items) {
      f.term = in.element.get();
      f.domain = d;
      f.kind = in.negated != positive ? Fact::Kind::InSet : Fact::Kind::NotInSet;
      f.set = std::move(*items);
      f.namedSet = named;
      return f;
    }
  }
  if (e.kind == ExprKind::Binary && isComparison(static_cast<const BinaryExpr&>(e).op)) {
    auto& b = static_cast<const BinaryExpr&>(e);
    const Expr* term = b.lhs.get();
    const Expr* other = b.rhs.get();
    BinaryOp op = b.op;
    if (isLiteral(*term) && !isLiteral(*other)) {
      std::swap(term, other);
      op = flip(op);
    }
    Domain d = domainOf(term->type);
    auto c = isLiteral(*term) ? std::nullopt : constantOf(*other, d);
    if (c && !(d != Domain::Ordered && op != BinaryOp::Eq && op != BinaryOp::Ne)) {
      if (!positive) op = negate(op);
      f.term = term;
      f.domain = d;
      switch (op) {
        case BinaryOp::Eq:
          f.kind = Fact::Kind::Point, f.point = *c;
          break;
        case BinaryOp::Ne:
          f.kind = Fact::Kind::NotPoint, f.point = *c;
          break;
        case BinaryOp::Lt:
          f.kind = Fact::Kind::Interval, f.hi = {true, c->number, true};
          break;
        case BinaryOp::Le:
          f.kind = Fact::Kind::Interval, f.hi = {true, c->number, false};
          break;
        case BinaryOp::Gt:
          f.kind = Fact::Kind::Interval, f.lo = {true, c->number, true};
          break;
        case BinaryOp::Ge:
          f.kind = Fact::Kind::Interval, f.lo = {true, c->number, false};
          break;
        default:
          break;
      }
      if (f.kind == Fact::Kind::Point && d == Domain::Ordered) {
        f.kind = Fact::Kind::Interval;
        f.lo = f.hi = {true, c->number, false};
      }
      normalize(f);
      return f;
    }
  }
  // Any other condition is a fact about itself: it must be true (or false).
  f.term = &e;
  f.domain = Domain::Text;
  f.kind = Fact::Kind::Point;
  f.point.text = positive ? "true" : "false";
  return f;
}

// `at` is the range of the `let` name being expanded, if any: its conjuncts are reported there.
// `expanded` holds the `let` values already collected: a second use adds the same conjuncts
// again, so it is skipped (`let b = a and a` stays linear, not exponential, in its length).
void collect(const Expr& e, std::optional<SourceRange> at, std::vector<Conjunct>& out,
             std::set<const Expr*>& expanded) {
  const Expr& x = throughLets(e);
  if (&x != &e) {
    if (!expanded.insert(&x).second) return;
    if (!at) at = e.range;
  }
  if (x.kind == ExprKind::Binary && static_cast<const BinaryExpr&>(x).op == BinaryOp::And) {
    auto& b = static_cast<const BinaryExpr&>(x);
    collect(*b.lhs, at, out, expanded);
    collect(*b.rhs, at, out, expanded);
    return;
  }
  Conjunct c;
  c.range = at ? *at : x.range;
  c.expr = &x;
  // `true`, `false`, `not false`, …
  const Expr* lit = &x;
  bool value = true;
  while (lit->kind == ExprKind::Not) {
    lit = &throughLets(*static_cast<const UnaryExpr&>(*lit).operand);
    value = !value;
  }
  if (lit->kind == ExprKind::BoolLit) {
    bool always = static_cast<const BoolLit&>(*lit).value == value;
    c.shape = always ? Conjunct::Shape::AlwaysTrue : Conjunct::Shape::NeverTrue;
  } else {
    c.fact = factOf(x, true);
  }
  out.push_back(std::move(c));
}

}  // namespace

std::vector<Conjunct> conjunctsOf(const ProfileDecl& p) {
  std::vector<Conjunct> out;
  std::set<const Expr*> expanded;
  if (p.when) collect(*p.when, std::nullopt, out, expanded);
  return out;
}

// ---- comparing facts -----------------------------------------------------------------------

namespace {

using Kind = Fact::Kind;

bool sameConstant(const Constant& a, const Constant& b, Domain d) {
  return d == Domain::Ordered ? a.number == b.number : a.text == b.text;
}

// hs: the codes an item matches (language.md 2.11). A plain element matches the codes it is a
// prefix of; a range a..b matches the codes whose prefix of the length of `a` lies in [a, b].
bool hsMatches(const SetItem& item, const std::string& code) {
  const std::string& a = item.low.text;
  if (code.size() < a.size()) return false;
  if (!item.high) return code.compare(0, a.size(), a) == 0;
  std::string prefix = code.substr(0, a.size());
  return prefix >= a && prefix <= *item.high;
}

bool member(const std::vector<SetItem>& set, const Constant& c, Domain d) {
  for (const SetItem& item : set) {
    if (d == Domain::Hs ? hsMatches(item, c.text) : sameConstant(item.low, c, d)) return true;
  }
  return false;
}

// hs: some code is matched by both items.
bool hsIntersect(const SetItem& x, const SetItem& y) {
  if (!x.high && !y.high) {
    const std::string &a = x.low.text, &b = y.low.text;
    return a.compare(0, std::min(a.size(), b.size()), b, 0, std::min(a.size(), b.size())) == 0;
  }
  if (!x.high) return hsIntersect(y, x);
  // x is a range a..b of length L.
  const std::string &a = x.low.text, &b = *x.high;
  size_t length = a.size();
  if (!y.high) {
    const std::string& e = y.low.text;
    if (e.size() >= length) return hsMatches(x, e);
    std::string lo = e + std::string(length - e.size(), '0');
    std::string hi = e + std::string(length - e.size(), '9');
    return lo <= b && a <= hi;
  }
  const SetItem& shorter = y.low.text.size() <= length ? y : x;
  const SetItem& longer = y.low.text.size() <= length ? x : y;
  size_t n = shorter.low.text.size();
  std::string lo = longer.low.text.substr(0, n), hi = longer.high->substr(0, n);
  return lo <= *shorter.high && shorter.low.text <= hi;
}

// hs: every code matched by `x` is matched by `y`.
bool hsCovers(const SetItem& y, const SetItem& x) {
  if (!x.high) {
    const std::string& e = x.low.text;
    if (!y.high)
      return e.compare(0, y.low.text.size(), y.low.text) == 0 && e.size() >= y.low.text.size();
    // `e` itself is matched only if it is at least as long as the range's codes.
    return e.size() >= y.low.text.size() && hsMatches(y, e);
  }
  const std::string &a = x.low.text, &b = *x.high;
  if (!y.high) {
    const std::string& t = y.low.text;
    return t.size() <= a.size() && a.compare(0, t.size(), t) == 0 && b.compare(0, t.size(), t) == 0;
  }
  size_t n = y.low.text.size();
  if (n > a.size()) return false;
  return a.substr(0, n) >= y.low.text && b.substr(0, n) <= *y.high;
}

bool itemsIntersect(const SetItem& x, const SetItem& y, Domain d) {
  return d == Domain::Hs ? hsIntersect(x, y) : sameConstant(x.low, y.low, d);
}
bool itemCovered(const SetItem& x, const std::vector<SetItem>& set, Domain d) {
  for (const SetItem& y : set)
    if (d == Domain::Hs ? hsCovers(y, x) : sameConstant(x.low, y.low, d)) return true;
  return false;
}
bool setsIntersect(const std::vector<SetItem>& s, const std::vector<SetItem>& t, Domain d) {
  for (const SetItem& x : s)
    for (const SetItem& y : t)
      if (itemsIntersect(x, y, d)) return true;
  return false;
}
bool subset(const std::vector<SetItem>& s, const std::vector<SetItem>& t, Domain d) {
  for (const SetItem& x : s)
    if (!itemCovered(x, t, d)) return false;
  return true;
}
// The only value the set holds, when it holds exactly one: exact domains only (an hs element
// matches every longer code it begins).
bool onlyValue(const std::vector<SetItem>& s, const Constant& c, Domain d) {
  if (s.empty() || d == Domain::Hs) return false;
  for (const SetItem& x : s)
    if (!sameConstant(x.low, c, d)) return false;
  return true;
}

bool inInterval(const Fact& f, Decimal v) {
  if (f.lo.present && (v < f.lo.value || (v == f.lo.value && f.lo.open))) return false;
  if (f.hi.present && (v > f.hi.value || (v == f.hi.value && f.hi.open))) return false;
  return true;
}
bool emptyInterval(const Fact& f) {
  if (!f.lo.present || !f.hi.present) return false;
  return f.lo.value > f.hi.value || (f.lo.value == f.hi.value && (f.lo.open || f.hi.open));
}
// The single value of an interval [c, c].
std::optional<Decimal> pointOf(const Fact& f) {
  if (f.lo.present && f.hi.present && !f.lo.open && !f.hi.open && f.lo.value == f.hi.value)
    return f.lo.value;
  return std::nullopt;
}
Fact intersect(const Fact& a, const Fact& b) {
  Fact r = a;
  if (b.lo.present &&
      (!r.lo.present || b.lo.value > r.lo.value || (b.lo.value == r.lo.value && b.lo.open)))
    r.lo = b.lo;
  if (b.hi.present &&
      (!r.hi.present || b.hi.value < r.hi.value || (b.hi.value == r.hi.value && b.hi.open)))
    r.hi = b.hi;
  return r;
}
// Every value of interval a lies in interval b.
bool within(const Fact& a, const Fact& b) {
  if (b.lo.present) {
    if (!a.lo.present || a.lo.value < b.lo.value) return false;
    if (a.lo.value == b.lo.value && b.lo.open && !a.lo.open) return false;
  }
  if (b.hi.present) {
    if (!a.hi.present || a.hi.value > b.hi.value) return false;
    if (a.hi.value == b.hi.value && b.hi.open && !a.hi.open) return false;
  }
  return true;
}

// The order in which the pairs are handled below.
int rank(Kind k) {
  switch (k) {
    case Kind::Point:
      return 0;
    case Kind::Interval:
      return 1;
    case Kind::InSet:
      return 2;
    case Kind::NotPoint:
      return 3;
    case Kind::NotInSet:
      return 4;
    default:
      return 5;
  }
}

}  // namespace

bool unsatisfiable(const Fact& a) {
  if (a.kind == Kind::Interval) return emptyInterval(a);
  if (a.kind == Kind::InSet) return a.set.empty();
  return false;
}

bool satisfiable(const Fact& a0, const Fact& b0) {
  if (unsatisfiable(a0) || unsatisfiable(b0)) return false;
  if (a0.kind == Kind::Missing || b0.kind == Kind::Missing) return a0.kind == b0.kind;
  if (a0.kind == Kind::Present || b0.kind == Kind::Present) return true;
  if (a0.domain != b0.domain || a0.domain == Domain::None) return true;
  const Fact& a = rank(a0.kind) <= rank(b0.kind) ? a0 : b0;
  const Fact& b = &a == &a0 ? b0 : a0;
  Domain d = a.domain;
  switch (a.kind) {
    case Kind::Point:
      switch (b.kind) {
        case Kind::Point:
          return sameConstant(a.point, b.point, d);
        case Kind::NotPoint:
          return !sameConstant(a.point, b.point, d);
        case Kind::InSet:
          return member(b.set, a.point, d);
        case Kind::NotInSet:
          return !member(b.set, a.point, d);
        default:
          return true;  // Point is Text or Hs; Interval is Ordered
      }
    case Kind::Interval:
      switch (b.kind) {
        case Kind::Interval:
          return !emptyInterval(intersect(a, b));
        case Kind::InSet:
          for (const SetItem& x : b.set)
            if (inInterval(a, x.low.number)) return true;
          return false;
        case Kind::NotPoint: {
          auto only = pointOf(a);
          return !only || *only != b.point.number;
        }
        case Kind::NotInSet: {
          auto only = pointOf(a);
          return !only || !member(b.set, Constant{*only, {}}, d);
        }
        default:
          return true;
      }
    case Kind::InSet:
      switch (b.kind) {
        case Kind::InSet:
          return setsIntersect(a.set, b.set, d);
        case Kind::NotPoint:
          return !onlyValue(a.set, b.point, d);
        case Kind::NotInSet:
          return !subset(a.set, b.set, d);
        default:
          return true;
      }
    default:
      return true;  // NotPoint and NotInSet leave infinitely many values
  }
}

bool implies(const Fact& a, const Fact& b) {
  if (unsatisfiable(a)) return true;
  if (b.kind == Kind::Present) return a.kind != Kind::Missing;
  if (a.kind == Kind::Missing || b.kind == Kind::Missing) return a.kind == b.kind;
  if (a.kind == Kind::Present) return false;
  if (a.domain != b.domain || a.domain == Domain::None) return false;
  Domain d = a.domain;
  switch (b.kind) {
    case Kind::Point:
      switch (a.kind) {
        case Kind::Point:
          return sameConstant(a.point, b.point, d);
        case Kind::InSet:
          return onlyValue(a.set, b.point, d);
        default:
          return false;
      }
    case Kind::Interval:
      switch (a.kind) {
        case Kind::Interval:
          return within(a, b);
        case Kind::InSet:
          for (const SetItem& x : a.set)
            if (!inInterval(b, x.low.number)) return false;
          return true;
        default:
          return false;
      }
    case Kind::NotPoint:
      switch (a.kind) {
        case Kind::Point:
          return !sameConstant(a.point, b.point, d);
        case Kind::NotPoint:
          return sameConstant(a.point, b.point, d);
        case Kind::Interval:
          return !inInterval(a, b.point.number);
        case Kind::InSet:
          return !member(a.set, b.point, d);
        case Kind::NotInSet:
          return member(a.set, b.point, d);
        default:
          return false;
      }
    case Kind::InSet:
      switch (a.kind) {
        case Kind::Point:
          return member(b.set, a.point, d);
        case Kind::Interval: {
          auto only = pointOf(a);
          return only && member(b.set, Constant{*only, {}}, d);
        }
        case Kind::InSet:
          return subset(a.set, b.set, d);
        default:
          return false;
      }
    case Kind::NotInSet:
      switch (a.kind) {
        case Kind::Point:
          return !member(b.set, a.point, d);
        case Kind::Interval:
          for (const SetItem& x : b.set)
            if (inInterval(a, x.low.number)) return false;
          return true;
        case Kind::InSet:
          return !setsIntersect(a.set, b.set, d);
        case Kind::NotPoint:
          return onlyValue(b.set, a.point, d) || b.set.empty();
        case Kind::NotInSet:
          return subset(b.set, a.set, d);
        default:
          return false;
      }
    default:
      return false;
  }
}

}  // namespace daliz::analysis
