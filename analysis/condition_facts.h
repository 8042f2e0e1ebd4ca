#pragma once
// What a profile's `when` requires, read off the typed AST for `daliz lint` (analysis/lint.h).
//
// A profile fires only when its condition is true, and `a and b` is true only when both are
// (Kleene logic, language.md 2.8). So every top-level `and`-conjunct of `when` must be true,
// and each is read as a *fact* about one *term*: an expression compared with literals
// (`i.customs_value > 1000`), tested against a set of literals (`i.origin in WATCHED`), or
// tested for missingness. A conjunct of any other shape is a fact about itself: the bool term
// `c` must be true (`not c`: false). Every fact other than `is missing` also requires its term
// to be present, because a comparison or `in` with a missing operand is unknown, never true.
//
// Profiles are pure, so a term written twice has one value; two facts about one term can then
// be compared: whether some value satisfies both (satisfiable) and whether every value that
// satisfies one satisfies the other (implies). Both answers are conservative: `false` from
// satisfiable and `true` from implies are proofs; the other answer may just mean "not known".
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "compiler/sema/type.h"

namespace daliz::analysis {

// ---- terms: structural equality of typed expressions ---------------------------------

// Pairs the names bound in one expression with those of another: the item variables of two
// profiles, and quantifier variables as the comparison meets them.
class LocalPairs {
 public:
  LocalPairs() = default;
  LocalPairs(const Local* a, const Local* b) {
    if (a && b) pairs_.emplace_back(a, b);
  }
  bool match(const Local* a, const Local* b) const;
  void push(const Local* a, const Local* b) { pairs_.emplace_back(a, b); }
  void pop() { pairs_.pop_back(); }
  // `let` values already proven the same in this comparison: a chain of lets that use each
  // other twice (`let b = a and a`) is compared in time linear in its length, not exponential.
  // Let values are profile-level, so the quantifier pairs never change what they mean.
  bool provenSame(const Expr* a, const Expr* b) const { return same_.count({a, b}) > 0; }
  void proveSame(const Expr* a, const Expr* b) { same_.insert({a, b}); }

 private:
  std::vector<std::pair<const Local*, const Local*>> pairs_;
  std::set<std::pair<const Expr*, const Expr*>> same_;
};

// True when `a` and `b` are the same expression: the same tree of the same types, ignoring
// positions and parentheses, with `let` names replaced by their expressions and bound names
// matched through `pairs`. Literals compare by value (`0.7` is `70%`).
bool sameExpr(const Expr& a, const Expr& b, LocalPairs& pairs);
inline bool sameExpr(const Expr& a, const Expr& b) {
  LocalPairs identity;
  return &a == &b || sameExpr(a, b, identity);
}

// A hash consistent with sameExpr under any pairing: equal expressions hash equally. Linear in
// the expression's size with its `let`s shared, not expanded.
uint64_t exprHash(const Expr& e);

// ---- facts ---------------------------------------------------------------------------

// How the values of a term are compared. Ordered: int, decimal, money, date (as days) and
// enums (as the value's index), all held as exact decimals; Text: string, code, country,
// currency and bool (`true`/`false`), compared exactly; Hs: commodity codes, where `in`
// matches prefixes and ranges (language.md 2.11) and `==` the exact code.
enum class Domain { None, Ordered, Text, Hs };

struct Constant {
  Decimal number{};  // Ordered
  std::string text;  // Text and Hs
};

// One element of a set: a value, or for hs an inclusive range of codes of one length.
struct SetItem {
  Constant low;
  std::optional<std::string> high;  // hs ranges "6301".."6310"
};

struct Bound {
  bool present = false;
  Decimal value{};
  bool open = false;  // `<` / `>` rather than `<=` / `>=`
};

struct Fact {
  enum class Kind {
    Missing,   // term is missing
    Present,   // term is present, nothing more known
    Point,     // term == c
    NotPoint,  // term != c
    Interval,  // lo < / <= term < / <= hi (Ordered only)
    InSet,     // term in S
    NotInSet,  // term not in S
  };
  Kind kind = Kind::Present;
  const Expr* term = nullptr;
  Domain domain = Domain::None;
  Constant point;                     // Point, NotPoint
  Bound lo, hi;                       // Interval
  std::vector<SetItem> set;           // InSet, NotInSet
  const SetDecl* namedSet = nullptr;  // when the set is a named one
};

// A top-level conjunct of `when`.
struct Conjunct {
  enum class Shape { AlwaysTrue, NeverTrue, Fact } shape = Shape::Fact;
  SourceRange range;  // as written in `when`: a `let` name stays the name
  const Expr* expr = nullptr;
  Fact fact;  // Shape::Fact
};

// The conjuncts of a profile's `when`: nested `and`s are flattened, and a `let` name whose
// value is an `and` is expanded into the let's conjuncts (each keeping the name's range).
std::vector<Conjunct> conjunctsOf(const ProfileDecl& p);

// Whether some value of the term satisfies both facts (both about the same term). False only
// when no value can: `x > 5` and `x < 3`, `x in {"A"}` and `x in {"B"}`, `x is missing` and
// `x == 1`.
bool satisfiable(const Fact& a, const Fact& b);

// Whether no value satisfies `a` on its own: an empty set, `category > high` (no enum value
// lies above the last one).
bool unsatisfiable(const Fact& a);

// Whether every value that satisfies `a` satisfies `b` (both about the same term):
// `x > 1000` implies `x > 500`, `x in {"CN"}` implies `x in {"CN", "TR"}`, `x == 5`
// implies `x != 4`, any fact but `is missing` implies `is present`.
bool implies(const Fact& a, const Fact& b);

}  // namespace daliz::analysis
