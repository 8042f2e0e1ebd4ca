#pragma once
#include <functional>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "compiler/sema/checker.h"

namespace daliz {

// Top-level names visible everywhere.
struct Globals {
  std::map<std::string, const Decl*> byName;
  const RecordDecl* root = nullptr;
  // Names of declarations a syntax error kept from being built: their uses are not reported.
  std::set<std::string> broken;
};

// The locals visible at one point of a profile or indicator, innermost last.
struct Scope {
  std::vector<const Local*> locals;
  bool declarationScope = false;  // a profile without `scope item`
  std::vector<const Name*> laterLets;  // the profile's `let`s not yet defined at this point
  SourceRange profileBody;              // just after the profile's `{`: where `scope item i` goes
  bool categorize = false;        // a rule of a categorize block: `participant`, no `declaration`
  const Local* find(std::string_view name) const {
    for (auto it = locals.rbegin(); it != locals.rend(); ++it)
      if ((*it)->name.text == name) return *it;
    return nullptr;
  }
};

// Types expressions (spec sections 3, 5, 6) and annotates them in place.
class ExprChecker {
 public:
  ExprChecker(Compilation& c, const Globals& g) : c_(c), globals_(g) {}

  const Type* resolveType(const TypeRef& ref, bool allowContainers);

  // Types `e`; `expected`, when given, is what the context needs, so that literals adapt
  // to it (a string literal becomes an hs code, a number becomes money, a bare name an
  // enum value). The caller still checks that the result fits.
  const Type* check(Expr& e, const Scope& scope, const Type* expected);
  void checkSetLiteral(SetLitExpr& s, const Type* setType);
  // Whether a value of type `from` (the type of `e`) may stand where `to` is needed.
  bool assignable(const Expr& e, const Type* from, const Type* to) const;
  // A reason's `{expr}`: any value that renders as text.
  void checkRenderable(Expr& e, const Scope& scope);
  // A `given` literal against the schema type it stands for.
  void checkLiteral(LiteralValue& v, const Type* t);
  // The quantifiers of the declaration being checked, for `x` used outside its quantifier.
  void setQuantifiers(std::vector<const QuantifierExpr*> q) { quantifiers_ = std::move(q); }

 private:
  Diagnostic& report(Diag id, SourceRange r, std::vector<std::string> args = {}) {
    return c_.diagnostics.report(id, r, std::move(args));
  }
  const Type* set(Expr& e, const Type* t) { return e.type = t; }
  const Type* error(Expr& e) { return e.type = c_.types.error(); }
  const Type* checkInner(Expr& e, const Scope& scope, const Type* expected);
  bool isContextual(const Expr& e, const Scope& scope) const;
  bool adaptLiteral(Expr& e, const Type* target);
  // `fieldBase`: when the name is the base of `name.field`, that field's name.
  const Type* checkName(NameExpr& e, const Scope& scope, const Type* expected, std::string_view fieldBase);
  bool isItemField(std::string_view field) const;
  const Type* checkField(FieldExpr& e, const Scope& scope);
  const Type* checkMethod(MethodCallExpr& e, const Scope& scope);
  const Type* checkCall(CallExpr& e, const Scope& scope);
  const Type* checkLookup(LookupExpr& e, const Scope& scope);
  const Type* checkQuantifier(QuantifierExpr& e, const Scope& scope);
  const Type* checkBinary(BinaryExpr& e, const Scope& scope, const Type* expected);
  const Type* checkArithmetic(BinaryExpr& e, const Type* l, const Type* r);
  const Type* checkComparison(BinaryExpr& e, const Type* l, const Type* r);
  const Type* checkIn(InExpr& e, const Scope& scope);
  const Type* checkSetSide(Expr& e, const Scope& scope, const Type* expected);
  void checkOperands(BinaryExpr& e, const Scope& scope, const Type*& l, const Type*& r);
  std::vector<std::string> visibleNames(const Scope& scope) const;

  Compilation& c_;
  const Globals& globals_;
  // Quantifier variables live as long as the compilation; their Local objects are owned here.
  bool setAllowed_ = false;  // only while typing the right side of `in`
  std::vector<const QuantifierExpr*> quantifiers_;
  const Expr* atom_ = nullptr;       // the innermost comparison, `in` or `is` being typed
  const CallExpr* quantCall_ = nullptr;  // `any(L.field in S)`: a quantifier without its variable
  std::string text(SourceRange r) const;
  const Type* unknownName(NameExpr& e, const Scope& scope, std::string_view fieldBase);
  const Type* misusedCall(CallExpr& e, const Scope& scope, const Decl* decl);
};

// Calls `fn` on each direct child expression of `e`.
void forEachChild(const Expr& e, const std::function<void(const Expr*)>& fn);

}  // namespace daliz
