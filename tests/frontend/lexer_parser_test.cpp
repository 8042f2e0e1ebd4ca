// The lexer, the parser and the AST builder (compiler/syntax): operator precedence, literal
// tokens and their values, string escapes, reason interpolation, test statements, comments,
// keywords as field names, and the analyst-facing wording and position of syntax errors.
// The AST is inspected through parseModule and printed as S-expressions.
#include <catch2/catch.hpp>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/syntax/parser.h"

namespace daliz {
namespace {

// One parsed source text, with its diagnostics.
struct Parsed {
  SourceManager sources;
  DiagnosticSink sink;
  std::unique_ptr<Module> module;
  uint32_t file = 0;

  LineColumn at(SourceRange r) const { return sources.lineColumn(r.file, r.begin); }
  std::string text(SourceRange r) const { return std::string(sources.text(r)); }
  // "line:col [Id] message" for each diagnostic, in report order.
  std::vector<std::string> diagnostics() const {
    std::vector<std::string> out;
    for (const Diagnostic& d : sink.all()) {
      LineColumn lc = sources.lineColumn(d.range.file, d.range.begin);
      out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + " [" +
                    nameOf(d.id) + "] " + d.message);
    }
    return out;
  }
};

std::unique_ptr<Parsed> parse(std::string text) {
  auto p = std::make_unique<Parsed>();
  p->file = p->sources.add("test.dlz", std::move(text));
  p->module = parseModule(p->sources, p->file, p->sink);
  REQUIRE(p->module != nullptr);
  return p;
}

std::string show(const Expr* e);

std::string showList(const std::vector<ExprPtr>& v) {
  std::string s;
  for (const auto& x : v) s += " " + show(x.get());
  return s;
}

// An S-expression for an expression tree: `(> (?? x 0) y)`.
std::string show(const Expr* e) {
  if (e == nullptr) return "<null>";
  switch (e->kind) {
    case ExprKind::IntLit:
      return std::to_string(static_cast<const IntLit*>(e)->value);
    case ExprKind::DecimalLit:
      return toString(static_cast<const DecimalLit*>(e)->value);
    case ExprKind::PercentLit:
      return "pct:" + toString(static_cast<const DecimalLit*>(e)->value);
    case ExprKind::StringLit:
      return "\"" + static_cast<const StringLit*>(e)->value + "\"";
    case ExprKind::DateLit:
      return "date:" + toString(static_cast<const DateLit*>(e)->value);
    case ExprKind::BoolLit:
      return static_cast<const BoolLit*>(e)->value ? "true" : "false";
    case ExprKind::Name:
      return static_cast<const NameExpr*>(e)->name;
    case ExprKind::Declaration:
      return "declaration";
    case ExprKind::Field: {
      auto* f = static_cast<const FieldExpr*>(e);
      return "(. " + show(f->base.get()) + " " + f->field.text + ")";
    }
    case ExprKind::MethodCall: {
      auto* m = static_cast<const MethodCallExpr*>(e);
      return "(." + m->method.text + " " + show(m->base.get()) + showList(m->args) + ")";
    }
    case ExprKind::Call: {
      auto* c = static_cast<const CallExpr*>(e);
      return "(call " + c->callee.text + showList(c->args) + ")";
    }
    case ExprKind::Lookup: {
      auto* l = static_cast<const LookupExpr*>(e);
      return "([] " + show(l->table.get()) + showList(l->keys) + ")";
    }
    case ExprKind::Quantifier: {
      static const char* const kWords[] = {"any", "all", "count", "sum", "min", "max"};
      auto* q = static_cast<const QuantifierExpr*>(e);
      return std::string("(") + kWords[static_cast<int>(q->quantifier)] + " " + q->var.text + " " +
             show(q->list.get()) + " " + show(q->body.get()) + ")";
    }
    case ExprKind::SetLit: {
      auto* s = static_cast<const SetLitExpr*>(e);
      std::string out = "{";
      for (size_t i = 0; i < s->elements.size(); ++i) {
        out += (i ? " " : "") + show(s->elements[i].low.get());
        if (s->elements[i].high) out += ".." + show(s->elements[i].high.get());
      }
      return out + "}";
    }
    case ExprKind::Neg:
      return "(- " + show(static_cast<const UnaryExpr*>(e)->operand.get()) + ")";
    case ExprKind::Not:
      return "(not " + show(static_cast<const UnaryExpr*>(e)->operand.get()) + ")";
    case ExprKind::Binary: {
      auto* b = static_cast<const BinaryExpr*>(e);
      return std::string("(") + spelling(b->op) + " " + show(b->lhs.get()) + " " +
             show(b->rhs.get()) + ")";
    }
    case ExprKind::In: {
      auto* i = static_cast<const InExpr*>(e);
      return std::string(i->negated ? "(not-in " : "(in ") + show(i->element.get()) + " " +
             show(i->set.get()) + ")";
    }
    case ExprKind::Is: {
      auto* i = static_cast<const IsExpr*>(e);
      return std::string(i->missing ? "(is-missing " : "(is-present ") + show(i->operand.get()) +
             ")";
    }
    case ExprKind::Error:
      return "<error>";
  }
  return "?";
}

constexpr const char* kExprPrefix = "indicator f(): bool = ";

// Parses `source` as the body of an indicator and returns the parse (the body is decls[0]).
std::unique_ptr<Parsed> parseExpr(const std::string& source) { return parse(kExprPrefix + source); }

const Expr* bodyOf(const Parsed& p) {
  REQUIRE(p.module->decls.size() == 1);
  REQUIRE(p.module->decls[0]->kind == DeclKind::Indicator);
  return static_cast<const IndicatorDecl&>(*p.module->decls[0]).body.get();
}

// The S-expression of a valid expression (fails the test on any diagnostic).
std::string tree(const std::string& source) {
  auto p = parseExpr(source);
  INFO(source);
  CHECK(p->diagnostics() == std::vector<std::string>{});
  if (p->module->decls.size() != 1) return "<no declaration>";
  return show(bodyOf(*p));
}

const ProfileDecl& onlyProfile(const Parsed& p) {
  REQUIRE(p.module->decls.size() == 1);
  REQUIRE(p.module->decls[0]->kind == DeclKind::Profile);
  return static_cast<const ProfileDecl&>(*p.module->decls[0]);
}

// ---- precedence ---------------------------------------------------------------------------

TEST_CASE("parser: `??` binds tighter than comparisons", "[frontend][parser]") {
  CHECK(tree("x ?? 0 > y") == "(> (?? x 0) y)");
  CHECK(tree("y < x ?? 0") == "(< y (?? x 0))");
  CHECK(tree("a ?? b ?? c") == "(?? (?? a b) c)");
  // ... and looser than arithmetic.
  CHECK(tree("a + 1 ?? b * 2") == "(?? (+ a 1) (* b 2))");
}

TEST_CASE("parser: `not`, `and`, `or`", "[frontend][parser]") {
  CHECK(tree("not a and b") == "(and (not a) b)");
  CHECK(tree("a or b and c") == "(or a (and b c))");
  CHECK(tree("a and b or c") == "(or (and a b) c)");
  CHECK(tree("not a or not b") == "(or (not a) (not b))");
  CHECK(tree("not not a") == "(not (not a))");
  // `not` is looser than comparisons, `in` and `is`.
  CHECK(tree("not a == b") == "(not (== a b))");
  CHECK(tree("not x in S") == "(not (in x S))");
  CHECK(tree("not x is missing") == "(not (is-missing x))");
  CHECK(tree("(a or b) and c") == "(and (or a b) c)");
}

TEST_CASE("parser: arithmetic, comparisons, `in`, `is`", "[frontend][parser]") {
  CHECK(tree("a + b * c") == "(+ a (* b c))");
  CHECK(tree("a - b - c") == "(- (- a b) c)");
  CHECK(tree("a / b / c") == "(/ (/ a b) c)");
  CHECK(tree("(a + b) * c") == "(* (+ a b) c)");
  CHECK(tree("a + b == c * d") == "(== (+ a b) (* c d))");
  CHECK(tree("x + 1 in S") == "(in (+ x 1) S)");
  CHECK(tree("x not in S and y in T") == "(and (not-in x S) (in y T))");
  CHECK(tree("x is missing or y is present") == "(or (is-missing x) (is-present y))");
  CHECK(tree("a != b") == "(!= a b)");
  CHECK(tree("a <= b") == "(<= a b)");
  CHECK(tree("a >= b") == "(>= a b)");
}

TEST_CASE("parser: unary minus, and `-5` folded into a literal", "[frontend][parser]") {
  CHECK(tree("-x * y") == "(* (- x) y)");
  CHECK(tree("- x.a") == "(- (. x a))");
  CHECK(tree("a - -b") == "(- a (- b))");
  CHECK(tree("- - x") == "(- (- x))");

  auto p = parseExpr("-5");
  const Expr* e = bodyOf(*p);
  REQUIRE(e->kind == ExprKind::IntLit);
  CHECK(static_cast<const IntLit*>(e)->value == -5);
  CHECK(p->text(e->range) == "-5");  // the literal's range includes the sign

  CHECK(tree("-1.5") == "-1.5");
  CHECK(tree("-70%") == "pct:-0.7");
  CHECK(tree("x * -2") == "(* x -2)");
  CHECK(tree("- 5") == "-5");
  // A parenthesized literal is not folded: `-(5)` stays a negation.
  CHECK(tree("-(5)") == "(- 5)");
  CHECK(tree("-5 - 5") == "(- -5 5)");
}

TEST_CASE("parser: postfix field access, methods, lookups, calls, quantifiers, sets",
          "[frontend][parser]") {
  CHECK(tree("declaration.declarant.country") == "(. (. declaration declarant) country)");
  CHECK(tree("i.description.lower().contains(\"x\")") ==
        "(.contains (.lower (. i description)) \"x\")");
  CHECK(tree("PRICE[i.hs_code, i.origin] * 70%") ==
        "(* ([] PRICE (. i hs_code) (. i origin)) pct:0.7)");
  CHECK(tree("unit_price(i) > 1") == "(> (call unit_price i) 1)");
  CHECK(tree("len(declaration.items)") == "(call len (. declaration items))");
  CHECK(tree("f()") == "(call f)");
  CHECK(tree("any(x in declaration.items: x.no > 1)") ==
        "(any x (. declaration items) (> (. x no) 1))");
  CHECK(tree("sum(x in L: x.v) > count(y in L: y.ok)") ==
        "(> (sum x L (. x v)) (count y L (. y ok)))");
  CHECK(tree("min(x in L: x.v) ?? 0") == "(?? (min x L (. x v)) 0)");
  CHECK(tree("x in { \"61\", \"6301\"..\"6310\", }") == "(in x {\"61\" \"6301\"..\"6310\"})");
  CHECK(tree("x in {}") == "(in x {})");
  CHECK(tree("(d + 7).weekday") == "(. (+ d 7) weekday)");
}

// ---- tokens -----------------------------------------------------------------------------

TEST_CASE("lexer: a date token wins over subtraction", "[frontend][lexer]") {
  auto p = parseExpr("2025-01-31");
  const Expr* e = bodyOf(*p);
  REQUIRE(e->kind == ExprKind::DateLit);
  CHECK(static_cast<const DateLit*>(e)->value == fromYmd(2025, 1, 31));
  CHECK(p->text(e->range) == "2025-01-31");

  CHECK(tree("d - 1") == "(- d 1)");
  CHECK(tree("d-1") == "(- d 1)");
  CHECK(tree("2025-01-31 - 1") == "(- date:2025-01-31 1)");
  CHECK(tree("2025-01-31-1") == "(- date:2025-01-31 1)");
  CHECK(tree("d - 2025-01-01 > 30") == "(> (- d date:2025-01-01) 30)");
  // With spaces, or without the two-digit month and day, it is arithmetic.
  CHECK(tree("2025 - 01 - 31") == "(- (- 2025 1) 31)");
  CHECK(tree("2025-1-31") == "(- (- 2025 1) 31)");
}

TEST_CASE("lexer: number literals and their values", "[frontend][lexer]") {
  CHECK(tree("42") == "42");
  CHECK(tree("12.50") == "12.5");
  CHECK(tree("0.000001") == "0.000001");
  CHECK(tree("9223372036854775807") == "9223372036854775807");

  auto p = parseExpr("70%");
  const Expr* e = bodyOf(*p);
  REQUIRE(e->kind == ExprKind::PercentLit);
  CHECK(static_cast<const DecimalLit*>(e)->value.units == 700000);  // 0.7
  CHECK(tree("100%") == "pct:1");
  CHECK(tree("12.5%") == "pct:0.125");
  CHECK(tree("0.0001%") == "pct:0.000001");

  auto big = parseExpr("9223372036854775808");
  CHECK(big->diagnostics() ==
        std::vector<std::string>{
            "1:23 [IntegerTooLarge] integer `9223372036854775808` does not fit in 64 bits"});
  auto fine = parseExpr("1.1234567");
  CHECK(fine->diagnostics() ==
        std::vector<std::string>{"1:23 [DecimalLiteral] `1.1234567` is not a valid decimal: more "
                                 "than 6 fractional digits"});
  auto pct = parseExpr("0.00001%");
  CHECK(pct->diagnostics() ==
        std::vector<std::string>{"1:23 [DecimalLiteral] `0.00001%` is not a valid decimal: more "
                                 "than 6 fractional digits"});
}

TEST_CASE("lexer: string escapes", "[frontend][lexer]") {
  auto p = parseExpr(R"("a\"b\\c\nd")");
  const Expr* e = bodyOf(*p);
  REQUIRE(e->kind == ExprKind::StringLit);
  CHECK(static_cast<const StringLit*>(e)->value == "a\"b\\c\nd");
  CHECK(p->diagnostics().empty());

  // Outside a reason, `\{` and `\}` are plain braces.
  CHECK(tree(R"("\{x\}")") == "\"{x}\"");
  // UTF-8 text is kept as it is.
  CHECK(tree("\"Ткань №1\"") == "\"Ткань №1\"");
  CHECK(tree("\"\"") == "\"\"");

  // An unknown escape is reported at its backslash.
  auto bad = parseExpr(R"("tab\there")");
  CHECK(bad->diagnostics() ==
        std::vector<std::string>{
            R"(1:27 [UnknownEscape] unknown escape `\t` in a string (use \" \\ \n \{ or \}))"});
}

TEST_CASE("lexer: comments", "[frontend][lexer]") {
  auto p = parse(
      "// a line comment\n"
      "/* a block comment\n"
      "   over two lines */ indicator f(): bool = a /* inside */ and // to the end of the line\n"
      "  b /* ** / */ or c // no newline at the end");
  REQUIRE(p->diagnostics().empty());
  CHECK(show(bodyOf(*p)) == "(or (and a b) c)");
  // `/` alone is division, `//` a comment.
  CHECK(tree("a / b // c") == "(/ a b)");
  // Block comments do not nest: the first `*/` closes.
  auto q = parse("/* a /* b */ indicator f(): bool = x */");
  CHECK_FALSE(q->diagnostics().empty());
  // Only comments: nothing, and no error.
  auto r = parse("// just a comment\n/* and another */\n");
  CHECK(r->diagnostics().empty());
  CHECK(r->module->decls.empty());
}

TEST_CASE("parser: keywords may be field names", "[frontend][parser]") {
  CHECK(tree("i.no > 1") == "(> (. i no) 1)");
  CHECK(tree("d.date is missing") == "(is-missing (. d date))");
  CHECK(tree("p.level == x.in") == "(== (. p level) (. x in))");
  CHECK(tree("x.item.measures.declaration") == "(. (. (. x item) measures) declaration)");
  CHECK(tree("x.not.and.or") == "(. (. (. x not) and) or)");
  CHECK(tree("s.missing.present.true.false") == "(. (. (. (. s missing) present) true) false)");

  auto p = parse("record R { no: int, date: date?, level: string\n in: int }");
  REQUIRE(p->diagnostics().empty());
  REQUIRE(p->module->decls.size() == 1);
  auto& r = static_cast<const RecordDecl&>(*p->module->decls[0]);
  REQUIRE(r.fields.size() == 4);
  CHECK(r.fields[0].name.text == "no");
  CHECK(r.fields[1].name.text == "date");
  CHECK(r.fields[1].typeRef.optional);
  CHECK(r.fields[2].name.text == "level");
  CHECK(r.fields[3].name.text == "in");
  CHECK(p->at(r.fields[3].name.range).line == 2);
  CHECK(p->at(r.fields[3].name.range).column == 2);
}

TEST_CASE("parser: node ranges", "[frontend][parser]") {
  auto p = parseExpr("a.b  <=  (c + 1)");
  const Expr* e = bodyOf(*p);
  REQUIRE(e->kind == ExprKind::Binary);
  auto* b = static_cast<const BinaryExpr*>(e);
  CHECK(p->text(b->range) == "a.b  <=  (c + 1)");
  CHECK(p->text(b->opRange) == "<=");
  CHECK(p->text(b->lhs->range) == "a.b");
  CHECK(b->rhs->parenthesized);
  CHECK(p->text(b->rhs->range) == "c + 1");  // the inner expression's own range
  auto* field = static_cast<const FieldExpr*>(b->lhs.get());
  CHECK(p->text(field->field.range) == "b");
}

// ---- declarations -----------------------------------------------------------------------

TEST_CASE("parser: a profile's clauses", "[frontend][parser]") {
  auto p = parse(
      "profile \"KZ-2025-0117\" {\n"
      "  title   \"Understated value\"\n"
      "  area    \"customs value\"\n"
      "  level   high\n"
      "  valid   2025-01-01 .. 2026-12-31\n"
      "  status  draft\n"
      "  scope   item i\n"
      "  sample  5%\n"
      "  let up = i.customs_value / i.net_weight\n"
      "  let x = 1\n"
      "  when    up < 70\n"
      "  measures documentary_check, request_documents\n"
      "  reason  \"unit price {up}\"\n"
      "}\n");
  REQUIRE(p->diagnostics().empty());
  const ProfileDecl& pr = onlyProfile(*p);
  CHECK(pr.name.text == "KZ-2025-0117");
  CHECK(pr.title == "Understated value");
  CHECK(pr.area == "customs value");
  REQUIRE(pr.levelName);
  CHECK(pr.levelName->text == "high");
  REQUIRE(pr.statusName);
  CHECK(pr.statusName->text == "draft");
  REQUIRE(pr.valid);
  CHECK(pr.valid->first == fromYmd(2025, 1, 1));
  CHECK(pr.valid->second == fromYmd(2026, 12, 31));
  REQUIRE(pr.itemVar);
  CHECK(pr.itemVar->text == "i");
  CHECK(show(pr.sample.get()) == "pct:0.05");
  REQUIRE(pr.lets.size() == 2);
  CHECK(pr.lets[0].name.text == "up");
  CHECK(show(pr.lets[0].value.get()) == "(/ (. i customs_value) (. i net_weight))");
  CHECK(show(pr.when.get()) == "(< up 70)");
  REQUIRE(pr.measures.size() == 2);
  CHECK(pr.measures[1].text == "request_documents");
  CHECK(p->at(pr.measures[1].range).line == 12);
  CHECK(p->at(pr.measures[1].range).column == 31);
  CHECK(pr.hasReason);
}

TEST_CASE("parser: clauses may come in any order; `scope declaration`", "[frontend][parser]") {
  auto p = parse("profile \"P\" { measures m when x level low scope declaration }");
  REQUIRE(p->diagnostics().empty());
  const ProfileDecl& pr = onlyProfile(*p);
  CHECK_FALSE(pr.itemVar);
  CHECK(show(pr.when.get()) == "x");
  CHECK(pr.measures.size() == 1);
}

TEST_CASE("parser: reason interpolation parts and their positions", "[frontend][parser]") {
  auto p = parse(
      "profile \"P\" {\n"
      "  reason \"item {i.no} costs {v ?? 0}, \\{not\\} \\\"q\\\"\"\n"
      "}\n");
  REQUIRE(p->diagnostics().empty());
  const ProfileDecl& pr = onlyProfile(*p);
  REQUIRE(pr.reason.size() == 5);
  CHECK(pr.reason[0].expr == nullptr);
  CHECK(pr.reason[0].text == "item ");
  REQUIRE(pr.reason[1].expr != nullptr);
  CHECK(show(pr.reason[1].expr.get()) == "(. i no)");
  CHECK(p->text(pr.reason[1].expr->range) == "i.no");
  CHECK(p->at(pr.reason[1].expr->range).line == 2);
  CHECK(p->at(pr.reason[1].expr->range).column == 17);
  CHECK(pr.reason[2].text == " costs ");
  REQUIRE(pr.reason[3].expr != nullptr);
  CHECK(show(pr.reason[3].expr.get()) == "(?? v 0)");
  CHECK(p->at(pr.reason[3].expr->range).column == 30);
  auto* coalesce = static_cast<const BinaryExpr*>(pr.reason[3].expr.get());
  CHECK(p->text(coalesce->opRange) == "??");
  CHECK(p->at(coalesce->opRange).column == 32);
  // Escaped braces and quotes are literal text.
  CHECK(pr.reason[4].text == ", {not} \"q\"");
}

TEST_CASE("parser: interpolation positions after non-ASCII text count code points",
          "[frontend][parser]") {
  auto p = parse("profile \"P\" { reason \"Товар № {i.no}\" }");
  REQUIRE(p->diagnostics().empty());
  const ProfileDecl& pr = onlyProfile(*p);
  REQUIRE(pr.reason.size() == 2);
  CHECK(pr.reason[0].text == "Товар № ");
  REQUIRE(pr.reason[1].expr);
  CHECK(p->text(pr.reason[1].expr->range) == "i.no");
  CHECK(p->at(pr.reason[1].expr->range).column == 32);
}

TEST_CASE("parser: reason interpolation errors", "[frontend][parser]") {
  auto p = parse("profile \"P\" {\n  reason \"a {x +} b {} c {y\"\n}");
  CHECK(
      p->diagnostics() ==
      std::vector<std::string>{
          "2:17 [ExpectedExpression] expected an expression after `+`, found the closing `}`",
          "2:21 [EmptyInterpolation] empty `{}` in a reason: put an expression between the braces",
          "2:26 [UnclosedInterpolation] unclosed `{` in a reason: write `\\{` for a literal brace",
      });
  // These errors do not stop the file: the profile is still built.
  CHECK(p->module->decls.size() == 1);
}

TEST_CASE("parser: test blocks and `expect` statements", "[frontend][parser]") {
  auto p = parse(
      "test \"undervalued T-shirts go yellow\" {\n"
      "  given declaration { id: \"T1\", registered: 2025-03-01\n"
      "                      items: [ { no: 1, hs_code: \"6109100000\" }, ] }\n"
      "  expect corridor yellow\n"
      "  expect hit \"KZ-2025-0117\" item 1\n"
      "  expect no hit \"KZ-2025-0200\"\n"
      "  expect no hit \"KZ-2025-0201\" item 2\n"
      "  expect measures documentary_check, request_documents\n"
      "}\n");
  REQUIRE(p->diagnostics().empty());
  REQUIRE(p->module->decls.size() == 1);
  REQUIRE(p->module->decls[0]->kind == DeclKind::Test);
  auto& t = static_cast<const TestDecl&>(*p->module->decls[0]);
  CHECK(t.name.text == "undervalued T-shirts go yellow");
  REQUIRE(t.givens.size() == 1);
  const LiteralValue& g = *t.givens[0];
  CHECK(g.kind == LiteralValue::Kind::Object);
  REQUIRE(g.fields.size() == 3);
  CHECK(g.fields[0].first.text == "id");
  CHECK(show(g.fields[1].second->scalar.get()) == "date:2025-03-01");
  const LiteralValue& items = *g.fields[2].second;
  CHECK(items.kind == LiteralValue::Kind::List);
  REQUIRE(items.elements.size() == 1);
  CHECK(items.elements[0]->kind == LiteralValue::Kind::Object);
  CHECK(items.elements[0]->fields[0].first.text == "no");  // a keyword as a field name

  REQUIRE(t.expectations.size() == 5);
  CHECK(t.expectations[0].kind == Expectation::Kind::Corridor);
  CHECK(t.expectations[0].corridor.text == "yellow");
  CHECK(t.expectations[1].kind == Expectation::Kind::Hit);
  CHECK(t.expectations[1].profile.text == "KZ-2025-0117");
  CHECK(t.expectations[1].item == 1);
  CHECK(p->at(t.expectations[1].profile.range).line == 5);
  CHECK(p->at(t.expectations[1].profile.range).column == 14);
  CHECK(t.expectations[2].kind == Expectation::Kind::NoHit);
  CHECK_FALSE(t.expectations[2].item.has_value());
  CHECK(t.expectations[3].kind == Expectation::Kind::NoHit);
  CHECK(t.expectations[3].item == 2);
  CHECK(t.expectations[4].kind == Expectation::Kind::Measures);
  REQUIRE(t.expectations[4].measures.size() == 2);
  CHECK(t.expectations[4].measures[1].text == "request_documents");
}

TEST_CASE("parser: schema declarations", "[frontend][parser]") {
  auto p = parse(
      "enum category { low, medium high }\n"
      "root record D { id: string, items: list<Item>, tags: set<code>? }\n"
      "measure m code \"101\" corridor yellow \"Check\"\n"
      "measure n corridor blue\n"
      "set S: set<hs> = { \"61\", \"6301\"..\"6310\" }\n"
      "table T(code: hs, origin: country) -> money from \"prices.csv\"\n"
      "indicator f(i: Item, n: int): money = i.customs_value * n\n");
  REQUIRE(p->diagnostics().empty());
  REQUIRE(p->module->decls.size() == 7);
  auto& e = static_cast<const EnumDecl&>(*p->module->decls[0]);
  CHECK(e.values.size() == 3);
  auto& r = static_cast<const RecordDecl&>(*p->module->decls[1]);
  CHECK(r.root);
  CHECK(r.fields[1].typeRef.name.text == "list");
  CHECK(r.fields[1].typeRef.arg->name.text == "Item");
  CHECK(r.fields[2].typeRef.optional);
  auto& m = static_cast<const MeasureDecl&>(*p->module->decls[2]);
  CHECK(m.code == "101");
  CHECK(m.corridorName.text == "yellow");
  CHECK(m.description == "Check");
  auto& n = static_cast<const MeasureDecl&>(*p->module->decls[3]);
  CHECK_FALSE(n.code.has_value());
  auto& s = static_cast<const SetDecl&>(*p->module->decls[4]);
  CHECK(show(s.elements.get()) == "{\"61\" \"6301\"..\"6310\"}");
  auto& t = static_cast<const TableDecl&>(*p->module->decls[5]);
  CHECK(t.keys.size() == 2);
  CHECK(t.file.text == "prices.csv");
  auto& ind = static_cast<const IndicatorDecl&>(*p->module->decls[6]);
  CHECK(ind.params.size() == 2);
  CHECK(show(ind.body.get()) == "(* (. i customs_value) n)");
}

// ---- syntax errors: wording and positions -------------------------------------------------

// The diagnostics of a source that must not parse. A declaration with a syntax error is not
// built; the others are (and are checked), so that one mistake does not hide the rest.
std::vector<std::string> syntaxErrors(const std::string& source) {
  auto p = parse(source);
  return p->diagnostics();
}

TEST_CASE("syntax errors: a missing condition after `and`", "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profile \"P\" {\n"
                     "  when a and\n"
                     "  measures m\n"
                     "}\n") ==
        std::vector<std::string>{
            "3:3 [ExpectedCondition] expected a condition after `and`, found `measures`"});
  CHECK(syntaxErrors("profile \"P\" { when a or }") ==
        std::vector<std::string>{
            "1:25 [ExpectedCondition] expected a condition after `or`, found `}`"});
  CHECK(syntaxErrors("profile \"P\" { when not }") ==
        std::vector<std::string>{
            "1:24 [ExpectedCondition] expected a condition after `not`, found `}`"});
  CHECK(syntaxErrors("profile \"P\" { when\n measures m }") ==
        std::vector<std::string>{
            "2:2 [ExpectedCondition] expected a condition after `when`, found `measures`"});
}

TEST_CASE("syntax errors: a missing operand after an operator", "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profile \"P\" {\n  let v = a *\n  when v\n}") ==
        std::vector<std::string>{
            "3:3 [ExpectedExpression] expected an expression after `*`, found `when`"});
  CHECK(syntaxErrors("profile \"P\" { when a == }") ==
        std::vector<std::string>{
            "1:25 [ExpectedExpression] expected an expression after `==`, found `}`"});
  CHECK(syntaxErrors("profile \"P\" { when a ?? }") ==
        std::vector<std::string>{
            "1:25 [ExpectedExpression] expected an expression after `??`, found `}`"});
  CHECK(
      syntaxErrors("indicator f(): int = 1 +") ==
      std::vector<std::string>{
          "1:25 [ExpectedExpression] expected an expression after `+`, found the end of the file"});
}

TEST_CASE("syntax errors: brackets", "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profile \"P\" {\n  when (a or b\n  measures m\n}") ==
        std::vector<std::string>{"3:3 [ExpectedToken] expected `)`, found `measures`"});
  CHECK(syntaxErrors("profile \"P\" { when (a)) measures m }") ==
        std::vector<std::string>{"1:23 [UnexpectedToken] unexpected `)` after `)`"});
  CHECK(syntaxErrors("set S: set<hs> = { \"61\", \"62\"\nprofile \"P\" { }") ==
        std::vector<std::string>{"2:1 [ExpectedToken] expected `}` or `,`, found `profile`"});
}

TEST_CASE("syntax errors: declarations and clauses", "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profil \"P\" { }") ==
        std::vector<std::string>{"1:1 [ExpectedDeclaration] expected a declaration (profile, "
                                 "indicator, set, table, record, enum, "
                                 "measure or test), found `profil`"});
  CHECK(
      syntaxErrors("table T(code: hs) -> money \"t.csv\"") ==
      std::vector<std::string>{"1:28 [ExpectedToken] expected `from`, found the string \"t.csv\""});
  CHECK(syntaxErrors("profile \"P\" { scope items i }") ==
        std::vector<std::string>{
            "1:21 [ExpectedToken] expected `item` or `declaration`, found `items`"});
  CHECK(syntaxErrors("profile P { }") ==
        std::vector<std::string>{"1:9 [UnquotedProfileId] the id of a profile is written in double quotes"});
}

TEST_CASE("syntax errors: lexical errors stop the file before parsing",
          "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profile \"P\" { when a; }") ==
        std::vector<std::string>{"1:21 [BadCharacter] unexpected character `;`"});
  CHECK(
      syntaxErrors("profile \"P\" {\n  reason \"open\n}") ==
      std::vector<std::string>{
          "2:10 [UnterminatedString] unterminated string: the line ends before the closing `\"`"});
  CHECK(syntaxErrors("set S: set<country> = { \"KZ\" } €") ==
        std::vector<std::string>{"1:32 [BadCharacter] unexpected character `€`"});
}

TEST_CASE("syntax errors: builder-level errors keep the declarations",
          "[frontend][parser][syntax]") {
  auto p = parse("profile \"P\" { level high level low tittle \"x\" when a < b < c }");
  CHECK(p->diagnostics() ==
        std::vector<std::string>{
            "1:26 [DuplicateClause] `level` is given twice in this profile",
            "1:36 [UnknownClause] unknown profile clause `tittle`; did you mean `title`?",
            "1:58 [ChainedComparison] comparisons cannot be chained; write `a < b and b < c`",
        });
  CHECK(p->module->decls.size() == 1);
  // Parentheses make a comparison of comparisons explicit: no error.
  CHECK(tree("(a < b) == (c < d)") == "(== (< a b) (< c d))");
}

TEST_CASE("syntax errors: CRLF line ends and tabs do not shift positions",
          "[frontend][parser][syntax]") {
  CHECK(syntaxErrors("profile \"P\" {\r\n\twhen a and\r\n\tmeasures m\r\n}\r\n") ==
        std::vector<std::string>{
            "3:2 [ExpectedCondition] expected a condition after `and`, found `measures`"});
  auto p = parse("indicator f(): bool =\r\n  a.b\r\n    and c");
  REQUIRE(p->diagnostics().empty());
  auto* b = static_cast<const BinaryExpr*>(bodyOf(*p));
  CHECK(p->at(b->opRange).line == 3);
  CHECK(p->at(b->opRange).column == 5);
}

}  // namespace
}  // namespace daliz
