#pragma once
// The AST of the profile language. Built by ast_builder.cpp from ANTLR's parse tree; nothing
// else in the compiler knows ANTLR. The checker annotates expressions in place (type and
// resolution), which makes this also the typed AST the code generator reads.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/syntax/source.h"
#include "vm/value/date.h"
#include "vm/value/decimal.h"

namespace daliz {

struct Type;
struct RecordDecl;
struct EnumDecl;
struct SetDecl;
struct TableDecl;
struct IndicatorDecl;
struct MeasureDecl;
struct Expr;

// A name with where it was written.
struct Name {
  std::string text;
  SourceRange range;
};

struct TypeRef {
  Name name;                      // int, money, hs, set, list, Item, …
  std::unique_ptr<TypeRef> arg;   // set<T>, list<R>
  bool optional = false;
  SourceRange range;
};

// ---- expressions ---------------------------------------------------------------------

enum class ExprKind {
  IntLit, DecimalLit, PercentLit, StringLit, DateLit, BoolLit,
  Name, Declaration, Field, MethodCall, Call, Lookup, Quantifier, SetLit,
  Neg, Not, Binary, In, Is, Error,
};

enum class BinaryOp { Mul, Div, Add, Sub, Coalesce, Eq, Ne, Lt, Le, Gt, Ge, And, Or };
const char* spelling(BinaryOp op);

enum class QuantifierKind { Any, All, Count, Sum, Min, Max };

// What a Name expression refers to, set by the checker.
enum class NameRef { Unresolved, Local, Set, EnumValue };

struct Expr {
  explicit Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
  virtual ~Expr() = default;
  ExprKind kind;
  SourceRange range;
  bool parenthesized = false;
  const Type* type = nullptr;  // set by the checker
};
using ExprPtr = std::unique_ptr<Expr>;

struct IntLit : Expr {
  IntLit(SourceRange r, int64_t v) : Expr(ExprKind::IntLit, r), value(v) {}
  int64_t value;
};
struct DecimalLit : Expr {  // also percent literals, already divided by 100
  DecimalLit(ExprKind k, SourceRange r, Decimal v) : Expr(k, r), value(v) {}
  Decimal value;
};
struct StringLit : Expr {
  StringLit(SourceRange r, std::string v) : Expr(ExprKind::StringLit, r), value(std::move(v)) {}
  std::string value;           // escapes resolved
  uint64_t encoded = 0;        // set by the checker for hs/country/currency literals
};
struct DateLit : Expr {
  DateLit(SourceRange r, Date v) : Expr(ExprKind::DateLit, r), value(v) {}
  Date value;
};
struct BoolLit : Expr {
  BoolLit(SourceRange r, bool v) : Expr(ExprKind::BoolLit, r), value(v) {}
  bool value;
};

// A name bound inside a profile or indicator: the item variable, a `let`, an indicator
// parameter or a quantifier variable. The checker creates them; codegen gives each a register.
struct Local {
  enum class Kind { Item, Let, Param, Quantified, Participant } kind;
  Name name;
  const Type* type = nullptr;
  const Expr* value = nullptr;  // a let's expression
};

struct NameExpr : Expr {
  NameExpr(SourceRange r, std::string n) : Expr(ExprKind::Name, r), name(std::move(n)) {}
  std::string name;
  NameRef ref = NameRef::Unresolved;
  const Local* local = nullptr;
  const SetDecl* set = nullptr;
  int enumValue = -1;
};
struct DeclarationExpr : Expr {
  explicit DeclarationExpr(SourceRange r) : Expr(ExprKind::Declaration, r) {}
};
struct FieldExpr : Expr {
  FieldExpr(SourceRange r, ExprPtr b, Name f)
      : Expr(ExprKind::Field, r), base(std::move(b)), field(std::move(f)) {}
  ExprPtr base;
  Name field;
  int fieldIndex = -1;  // record field, or the built-in part of a date/hs (checker)
};
struct MethodCallExpr : Expr {
  MethodCallExpr(SourceRange r, ExprPtr b, Name m, std::vector<ExprPtr> a)
      : Expr(ExprKind::MethodCall, r), base(std::move(b)), method(std::move(m)), args(std::move(a)) {}
  ExprPtr base;
  Name method;
  std::vector<ExprPtr> args;
};
enum class Builtin { None, Len, Money, Decimal };
struct CallExpr : Expr {
  CallExpr(SourceRange r, Name c, std::vector<ExprPtr> a)
      : Expr(ExprKind::Call, r), callee(std::move(c)), args(std::move(a)) {}
  Name callee;
  std::vector<ExprPtr> args;
  const IndicatorDecl* indicator = nullptr;
  Builtin builtin = Builtin::None;
};
struct LookupExpr : Expr {
  LookupExpr(SourceRange r, ExprPtr t, std::vector<ExprPtr> k)
      : Expr(ExprKind::Lookup, r), table(std::move(t)), keys(std::move(k)) {}
  ExprPtr table;  // a NameExpr naming the table
  std::vector<ExprPtr> keys;
  const TableDecl* decl = nullptr;
};
struct QuantifierExpr : Expr {
  QuantifierExpr(SourceRange r, QuantifierKind q, Name v, ExprPtr l, ExprPtr b)
      : Expr(ExprKind::Quantifier, r), quantifier(q), var(std::move(v)), list(std::move(l)), body(std::move(b)) {}
  QuantifierKind quantifier;
  Name var;
  ExprPtr list;
  ExprPtr body;
  const Local* local = nullptr;
};
struct SetElement {
  ExprPtr low;
  ExprPtr high;  // only for hs ranges "6301".."6310"
};
struct SetLitExpr : Expr {
  explicit SetLitExpr(SourceRange r) : Expr(ExprKind::SetLit, r) {}
  std::vector<SetElement> elements;
};
struct UnaryExpr : Expr {
  UnaryExpr(ExprKind k, SourceRange r, ExprPtr o) : Expr(k, r), operand(std::move(o)) {}
  ExprPtr operand;
};
struct BinaryExpr : Expr {
  BinaryExpr(SourceRange r, BinaryOp o, ExprPtr l, ExprPtr rr)
      : Expr(ExprKind::Binary, r), op(o), lhs(std::move(l)), rhs(std::move(rr)) {}
  BinaryOp op;
  SourceRange opRange;
  ExprPtr lhs, rhs;
};
struct InExpr : Expr {
  InExpr(SourceRange r, ExprPtr e, ExprPtr s, bool n)
      : Expr(ExprKind::In, r), element(std::move(e)), set(std::move(s)), negated(n) {}
  ExprPtr element, set;
  bool negated;
};
struct IsExpr : Expr {
  IsExpr(SourceRange r, ExprPtr o, bool m)
      : Expr(ExprKind::Is, r), operand(std::move(o)), missing(m) {}
  ExprPtr operand;
  bool missing;  // `is missing`; false for `is present`
};
struct ErrorExpr : Expr {
  explicit ErrorExpr(SourceRange r) : Expr(ExprKind::Error, r) {}
};

// ---- declarations ----------------------------------------------------------------------

enum class DeclKind { Enum, Record, Measure, Set, Table, Indicator, Profile, Test, Categorize, Plan };

struct Decl {
  Decl(DeclKind k, Name n) : kind(k), name(std::move(n)) {}
  virtual ~Decl() = default;
  DeclKind kind;
  Name name;          // for profiles and tests: their id / title
  SourceRange range;  // the whole declaration
  bool fromStdlib = false;
};

struct EnumDecl : Decl {
  explicit EnumDecl(Name n) : Decl(DeclKind::Enum, std::move(n)) {}
  std::vector<Name> values;
};

struct FieldDecl {
  Name name;
  TypeRef typeRef;
  const Type* type = nullptr;
};
struct RecordDecl : Decl {
  explicit RecordDecl(Name n) : Decl(DeclKind::Record, std::move(n)) {}
  bool root = false;
  std::vector<FieldDecl> fields;
  int index = -1;  // position among the schema's records (checker)
  int findField(std::string_view n) const {
    for (size_t i = 0; i < fields.size(); ++i)
      if (fields[i].name.text == n) return static_cast<int>(i);
    return -1;
  }
};

enum class Corridor : uint8_t { Green = 0, Blue = 1, Yellow = 2, Red = 3 };
const char* corridorName(Corridor c);

struct MeasureDecl : Decl {
  explicit MeasureDecl(Name n) : Decl(DeclKind::Measure, std::move(n)) {}
  std::optional<std::string> code;
  Name corridorName;
  Corridor corridor = Corridor::Green;
  std::string description;
  bool takesDocuments = false;  // `takes documents`: a profile names the documents it asks for
};

struct SetDecl : Decl {
  explicit SetDecl(Name n) : Decl(DeclKind::Set, std::move(n)) {}
  TypeRef typeRef;
  std::unique_ptr<SetLitExpr> elements;
  const Type* type = nullptr;
};

struct Param {
  Name name;
  TypeRef typeRef;
  const Type* type = nullptr;
};

struct TableDecl : Decl {
  explicit TableDecl(Name n) : Decl(DeclKind::Table, std::move(n)) {}
  std::vector<Param> keys;
  TypeRef valueRef;
  const Type* valueType = nullptr;
  Name file;  // the CSV named in `from "…"`
  // Filled by the checker from the CSV: each row's key cells and value cell, as text
  // already validated against the declared types.
  std::vector<std::vector<std::string>> rows;
};

struct IndicatorDecl : Decl {
  explicit IndicatorDecl(Name n) : Decl(DeclKind::Indicator, std::move(n)) {}
  std::vector<Param> params;
  TypeRef resultRef;
  const Type* resultType = nullptr;
  ExprPtr body;
  std::vector<std::unique_ptr<Local>> locals;  // the parameters, once resolved
};

struct LetBinding {
  Name name;
  ExprPtr value;
  const Local* local = nullptr;
};

// A reason: literal text and `{expr}` parts, in order.
struct ReasonPart {
  std::string text;  // literal text, when expr is null
  ExprPtr expr;
};

// One text of a `notice`: bare (`notice "…"`), or in a language (`notice kk "…" ru "…"`).
struct NoticeText {
  Name language;            // empty for a bare text
  uint8_t languageIndex = 0;  // into kNoticeLanguages (vm/bytecode/program.h), by the checker
  std::vector<ReasonPart> parts;
};

// A document kind a measure asks for: a name of the classifier subset (`invoice`) or a
// classifier code (`"04021"`, quoted).
struct DocumentArg {
  Name kind;
  bool quoted = false;
};
// The parenthesised arguments of one measure of a `measures` clause:
// `request_documents(invoice, "03011", 10 days)`.
struct MeasureArgs {
  size_t measure = 0;  // index into ProfileDecl::measures
  SourceRange range;
  std::vector<DocumentArg> documents;
  std::vector<std::pair<Name, int64_t>> deadlines;  // (unit word, count) as written
};
// What a measure of the profile asks the declarant for, resolved by the checker.
struct DocumentRequest {
  const MeasureDecl* measure = nullptr;
  std::vector<std::string> codes;  // classifier codes, sorted, unique
  uint32_t deadlineDays = 0;       // 0: none given
};

enum class Level : uint8_t { Low = 0, Medium = 1, High = 2 };
enum class ProfileStatus : uint8_t { Draft = 0, Active = 1, Suspended = 2 };
const char* levelName(Level l);
const char* statusName(ProfileStatus s);

struct ProfileDecl : Decl {
  explicit ProfileDecl(Name id) : Decl(DeclKind::Profile, std::move(id)) {}
  std::string title, area;
  std::optional<Name> levelName, statusName;
  Level level = Level::Medium;
  ProfileStatus status = ProfileStatus::Active;
  std::optional<std::pair<Date, Date>> valid;
  SourceRange validRange;
  std::optional<Name> itemVar;  // scope item i
  ExprPtr sample;               // a percentage literal
  uint32_t sampleBasisPoints = 10000;
  // `sample p% by k1, k2 per PERIOD`: the values that key the draw instead of the declaration
  // id, and the period of `registered` that is part of the key (resolved by the checker).
  std::vector<ExprPtr> sampleBy;
  SourceRange sampleByRange;  // `by k1, k2`
  std::optional<Name> samplePer;
  std::optional<uint8_t> samplePeriod;  // SamplePeriod (vm/bytecode/opcode.h)
  std::vector<LetBinding> lets;
  ExprPtr when;
  std::vector<Name> measures;
  std::vector<const MeasureDecl*> measureDecls;  // resolved by the checker
  std::vector<MeasureArgs> measureArgs;          // for the measures written with arguments
  std::vector<DocumentRequest> requests;         // resolved by the checker, by measure
  std::vector<ReasonPart> reason;
  bool hasReason = false;
  std::vector<NoticeText> notice;  // what the declarant is told (`notice`); empty: nothing
  SourceRange noticeRange;
  std::vector<std::unique_ptr<Local>> locals;  // item variable and lets
  const Local* itemLocal = nullptr;
};

// One rule of a `categorize` block (`rule "ID" CATEGORY when COND reason "…"`), or its
// `default CATEGORY reason "…"` (no id, no condition).
struct CategoryRule {
  Name id;        // empty for the default
  Name category;  // low, medium or high
  Level level = Level::Medium;  // the category, resolved by the checker
  ExprPtr when;   // null for the default
  std::vector<ReasonPart> reason;
  SourceRange range;
};

// `categorize "ID" { title "…" rule … default … }`: the categorisation of participants. The
// rules see `participant`, a record of the schema's `Participant` type; the first rule whose
// condition is true decides, else the default.
struct CategorizeDecl : Decl {
  explicit CategorizeDecl(Name id) : Decl(DeclKind::Categorize, std::move(id)) {}
  std::string title;
  std::vector<CategoryRule> rules;
  std::optional<CategoryRule> fallback;        // the `default`
  std::vector<std::unique_ptr<Local>> locals;  // `participant` (checker)
  const Local* participant = nullptr;
  const RecordDecl* record = nullptr;          // the schema's Participant record (checker)
};

// One line of a plan: `red 1% .. 3% random 0.5%` (shares as fractions: 1% is 0.01).
struct PlanLine {
  Name corridor;
  SourceRange range;
  std::optional<Decimal> low, high, random;  // absent when the literal was malformed (reported)
  SourceRange lowRange, highRange, randomRange;
  bool hasRandom = false;
  uint8_t corridorCode = 0;  // resolved by the checker
};

// `plan "ID" [office "CODE"] { … }`: the expected share of declarations per corridor and the
// minimum random rates (docs/language.md, "Selection plans"). Without `office`, the plan of every
// office that has none of its own.
struct PlanDecl : Decl {
  explicit PlanDecl(Name id) : Decl(DeclKind::Plan, std::move(id)) {}
  std::optional<Name> office;
  std::vector<PlanLine> lines;
};

// A `given` value: an object, a list, or a scalar expression.
struct LiteralValue {
  SourceRange range;
  enum class Kind { Object, List, Scalar } kind = Kind::Scalar;
  std::vector<std::pair<Name, std::unique_ptr<LiteralValue>>> fields;
  std::vector<std::unique_ptr<LiteralValue>> elements;
  ExprPtr scalar;
};

// Category and Rule test a categorize block (`given participant`); the others the profiles.
struct Expectation {
  enum class Kind { Corridor, Hit, NoHit, Measures, Category, Rule } kind;
  SourceRange range;
  Name corridor;  // Corridor: the corridor; Category: the category
  Name profile;   // Hit, NoHit: the profile id; Rule: the rule id (or "default")
  std::optional<int64_t> item;
  std::vector<Name> measures;
  bool participantOnly() const { return kind == Kind::Category || kind == Kind::Rule; }
};

struct TestDecl : Decl {
  explicit TestDecl(Name title) : Decl(DeclKind::Test, std::move(title)) {}
  std::vector<std::unique_ptr<LiteralValue>> givens;
  bool participant = false;  // `given participant`: a test of the categorize block
  std::vector<Expectation> expectations;
};

// One parsed source file.
struct Module {
  uint32_t file = 0;
  std::vector<std::unique_ptr<Decl>> decls;
  // The names of declarations that a syntax error kept from being built: the checker does not
  // report their uses as unknown (one mistake, one error).
  std::vector<std::string> brokenNames;
};

}  // namespace daliz
