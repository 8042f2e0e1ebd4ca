#include "compiler/sema/disclosure.h"

#include <map>

#include "compiler/sema/expr_checker.h"

namespace daliz {
namespace {

// Each `let` is judged once (`lets`): a chain of lets that use the previous one twice would
// otherwise take time exponential in its length.
Disclosure find(const Expr& e, std::map<const Local*, Disclosure>& lets) {
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::DecimalLit:
    case ExprKind::PercentLit:
    case ExprKind::DateLit:
    case ExprKind::BoolLit:
      return {&e, "a threshold of the profile"};
    case ExprKind::StringLit:
      return {&e, "a value written in the profile"};
    case ExprKind::SetLit:
      return {&e, "a set of values written in the profile"};
    case ExprKind::Lookup: {
      const auto& l = static_cast<const LookupExpr&>(e);
      return {&e, l.decl ? "table `" + l.decl->name.text + "`" : std::string("a table")};
    }
    case ExprKind::Call: {
      const auto& c = static_cast<const CallExpr&>(e);
      if (c.builtin == Builtin::None) return {&e, "indicator `" + c.callee.text + "`"};
      break;  // len, money, decimal: as their arguments
    }
    case ExprKind::Name: {
      const auto& n = static_cast<const NameExpr&>(e);
      if (n.ref == NameRef::Set) return {&e, "set `" + n.name + "`"};
      if (n.ref == NameRef::EnumValue) return {&e, "a value written in the profile"};
      if (n.ref == NameRef::Local && n.local && n.local->kind == Local::Kind::Let &&
          n.local->value) {
        auto [it, fresh] = lets.emplace(n.local, Disclosure{});
        if (fresh) it->second = find(*n.local->value, lets);
        if (!it->second.at) return {};
        // A let of a let of a threshold is still "computed from a threshold".
        const std::string& what = it->second.what;
        return {&e, what.rfind("computed from ", 0) == 0 ? what : "computed from " + what};
      }
      return {};
    }
    default:
      break;
  }
  Disclosure found;
  forEachChild(e, [&](const Expr* child) {
    if (!found.at && child) found = find(*child, lets);
  });
  return found;
}

}  // namespace

Disclosure findDisclosure(const Expr& e) {
  std::map<const Local*, Disclosure> lets;
  return find(e, lets);
}

}  // namespace daliz
