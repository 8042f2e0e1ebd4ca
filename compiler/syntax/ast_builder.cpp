// The only file that includes ANTLR's generated parser: it lexes, checks the token stream
// for hostile shapes, parses, rewrites syntax errors for analysts, and builds the AST.
#include <charconv>
#include <climits>
#include <map>
#include <set>

#include "DalizLexer.h"
#include "DalizParser.h"
#include "antlr4-runtime.h"
#include "compiler/syntax/parser.h"
#include "compiler/syntax/repair.h"
#include "compiler/syntax/utf8.h"

namespace daliz {
namespace {

using grammar::DalizLexer;
using grammar::DalizParser;
using P = DalizParser;

// Describes a token the way an analyst reads it: "`measures`", "the end of the file".
std::string describe(antlr4::Token* t, bool interpolation = false) {
  if (t == nullptr || t->getType() == antlr4::Token::EOF)
    return interpolation ? "the closing `}`" : "the end of the file";
  std::string text = t->getText();
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  switch (t->getType()) {
    case DalizLexer::STRING: return "the string " + text;
    case DalizLexer::INT:
    case DalizLexer::DECIMAL: return "the number " + text;
    case DalizLexer::DATE: return "the date " + text;
    default: return "`" + text + "`";
  }
}

bool isConditionOperator(size_t type) {
  return type == DalizLexer::AND || type == DalizLexer::OR || type == DalizLexer::NOT ||
         type == DalizLexer::WHEN;
}

bool isExpressionOperator(size_t type) {
  switch (type) {
    case DalizLexer::PLUS: case DalizLexer::MINUS: case DalizLexer::STAR: case DalizLexer::SLASH:
    case DalizLexer::EQ: case DalizLexer::NE: case DalizLexer::LT: case DalizLexer::LE:
    case DalizLexer::GT: case DalizLexer::GE: case DalizLexer::COALESCE: case DalizLexer::IN:
    case DalizLexer::ASSIGN: case DalizLexer::COLON: case DalizLexer::RANGE:
      return true;
    default:
      return false;
  }
}

// True when `type`, after a token of type `previous` at bracket depth 0, can only begin a
// new top-level declaration: a declaration keyword that is not a field name (`x.set`), a type
// (`: set<hs>`, `-> set<hs>`, `set<set<…>>`) or the `record` of `root record`.
bool beginsDeclaration(size_t type, size_t previous) {
  switch (type) {
    case DalizLexer::ENUM: case DalizLexer::ROOT: case DalizLexer::RECORD: case DalizLexer::MEASURE:
    case DalizLexer::SET: case DalizLexer::TABLE: case DalizLexer::INDICATOR: case DalizLexer::PROFILE:
    case DalizLexer::TEST: case DalizLexer::CATEGORIZE: case DalizLexer::PLAN:
      break;
    default:
      return false;
  }
  return previous != DalizLexer::DOT && previous != DalizLexer::COLON &&
         previous != DalizLexer::ARROW && previous != DalizLexer::LT &&
         previous != DalizLexer::ROOT;
}

// ANTLR's own UTF-8 conversion (std::wstring_convert) grows its buffer to several times the
// text; this stream holds exactly one code point per character. Like ANTLR's, it drops a
// leading byte-order mark.
class CodePointStream : public antlr4::ANTLRInputStream {
 public:
  explicit CodePointStream(const std::u32string& text) { _data = text; }
};

// One ANTLR parse over a span of a source file (a whole file, or one `{expr}` of a reason).
// ANTLR counts code points; the AST wants byte offsets into the file, so keep a map.
//
// A file is lexed and parsed one top-level declaration (a chunk) at a time, and each chunk's
// tokens and parse tree are freed before the next is read, so the front end's memory is the
// text, the AST and one declaration's tree, not a tree of the whole file (issue 10:
// docs/performance.md). A chunk ends only at a declaration keyword outside every bracket, so
// an unclosed `{` keeps the rest of the file in one chunk and is reported as a whole-file
// parse would report it.
class ParseUnit : public antlr4::BaseErrorListener {
 public:
  ParseUnit(const SourceManager& sources, uint32_t file, uint32_t base, std::string_view text,
            DiagnosticSink& sink)
      : file_(file),
        base_(base),
        sink_(sink),
        repaired_(repairText(text, file, base,
                             [this](Diag id, SourceRange r, std::vector<std::string> args) {
                               return report(id, r, std::move(args));
                             })),
        input_(repaired_.text),
        lexer_(&input_) {
    (void)sources;
    // The lexer reads the repaired text (repair.h); its code points map back to the file.
    byteOfCodePoint_ = std::move(repaired_.byteOf);
    repaired_.text.clear();
    lexer_.removeErrorListeners();
  }

  // Lexes the next chunk: one top-level declaration, or with `split` false the whole text.
  // Its tokens are screened for bad characters, unterminated strings and comments, nesting
  // that would overflow the parser's stack, and a declaration too long to parse in bounded
  // memory (DeclarationTokens). Returns false when nothing more is to be parsed: the end of
  // the text, or a limit that stops reading the file. `chunkClean()` tells whether the chunk
  // returned may be parsed.
  bool nextChunk(bool split) {
    chunk_.reset();  // the previous declaration's tokens and tree go before the next is read
    if (atEnd_ || stopped_) return false;
    std::vector<std::unique_ptr<antlr4::Token>> tokens;
    int depth = 0, prefixRun = 0;
    clean_ = true;
    for (;;) {
      std::unique_ptr<antlr4::Token> t = next_ ? std::move(next_) : lexer_.nextToken();
      size_t type = t->getType();
      if (type == antlr4::Token::EOF) {
        tokens.push_back(std::move(t));
        atEnd_ = true;
        break;
      }
      if (split && depth == 0 && !tokens.empty() &&
          beginsDeclaration(type, tokens.back()->getType())) {
        next_ = std::move(t);
        tokens.push_back(endOfChunk(*next_));
        break;
      }
      if (!screen(t.get(), depth, prefixRun)) {
        stopped_ = true;
        return false;
      }
      tokens.push_back(std::move(t));
      if (tokens.size() > limits::kDeclarationTokens) {
        reportSyntax(Diag::DeclarationTooLong, range(tokens.front().get()),
                     {std::to_string(limits::kDeclarationTokens)});
        stopped_ = true;
        return false;
      }
    }
    chunk_ = std::make_unique<Chunk>(std::move(tokens));
    chunk_->parser.removeErrorListeners();
    chunk_->parser.addErrorListener(this);
    reportedTokens_.clear();
    return true;
  }
  bool chunkClean() const { return clean_; }
  // The name the current chunk declares (its second token: `profile "ID"`, `set NAME`), or "".
  std::string chunkName() {
    if (!chunk_) return "";
    chunk_->tokens.fill();
    if (chunk_->tokens.size() < 2) return "";
    antlr4::Token* t = chunk_->tokens.get(1);
    std::string text = t->getText();
    if (t->getType() == DalizLexer::STRING && text.size() >= 2) return text.substr(1, text.size() - 2);
    return t->getType() == DalizLexer::ID ? text : "";
  }

  // The whole text as one chunk (a reason's `{expr}`): false when it must not be parsed.
  bool screenTokens() { return nextChunk(false) && clean_; }

  DalizParser& parser() { return chunk_->parser; }

  // Two-stage parsing of the current chunk: the fast SLL prediction first, bailing out at the
  // first error; only input that SLL cannot parse (rare: it has a syntax error, or needs full
  // context) is parsed again with full LL and error recovery, which gives the reported
  // messages.
  DalizParser::FileContext* parseFile() {
    using antlr4::atn::PredictionMode;
    DalizParser& parser = chunk_->parser;
    auto* interpreter = parser.getInterpreter<antlr4::atn::ParserATNSimulator>();
    interpreter->setPredictionMode(PredictionMode::SLL);
    parser.removeErrorListeners();
    parser.setErrorHandler(std::make_shared<antlr4::BailErrorStrategy>());
    try {
      return parser.file();
    } catch (const antlr4::ParseCancellationException&) {
    }
    chunk_->tokens.seek(0);
    parser.reset();
    interpreter->setPredictionMode(PredictionMode::LL);
    parser.setErrorHandler(std::make_shared<antlr4::DefaultErrorStrategy>());
    parser.addErrorListener(this);
    return parser.file();
  }

  // Errors reported while lexing and parsing (not those of the AST builder).
  size_t syntaxErrors() const { return syntaxErrors_; }

  SourceRange range(antlr4::Token* t) const {
    if (t == nullptr) return {file_, base_, base_};
    if (t->getType() == antlr4::Token::EOF) {
      uint32_t end = base_ + byteOfCodePoint_.back();
      return {file_, end, end};
    }
    return {file_, byteAt(t->getStartIndex()), byteAt(t->getStopIndex() + 1)};
  }
  SourceRange range(antlr4::ParserRuleContext* c) const {
    if (c == nullptr || c->getStart() == nullptr) return {file_, base_, base_};
    SourceRange r = range(c->getStart());
    antlr4::Token* stop = c->getStop();
    if (stop != nullptr && stop->getType() != antlr4::Token::EOF &&
        stop->getTokenIndex() >= c->getStart()->getTokenIndex())
      r.end = range(stop).end;
    return r;
  }
  SourceRange range(antlr4::tree::TerminalNode* n) const {
    return n ? range(n->getSymbol()) : SourceRange{file_, base_, base_};
  }

  // Through the front end's one error cap (DiagnosticSink::capReached): past it, nothing more
  // is reported and the file is not read further. Null when the error was not kept.
  Diagnostic* report(Diag id, SourceRange r, std::vector<std::string> args = {}) {
    if (sink_.capReached(file_)) return nullptr;
    Diagnostic& d = sink_.report(id, r, std::move(args));
    return sink_.capReached(file_) ? nullptr : &d;
  }
  uint32_t file() const { return file_; }
  uint32_t base() const { return base_; }

 private:
  // Screens one token (see nextChunk); false when the file must not be read further.
  bool screen(antlr4::Token* t, int& depth, int& prefixRun) {
    size_t type = t->getType();
    if (type == DalizLexer::BAD_CHAR && repaired_.silenced.count(static_cast<uint32_t>(t->getStartIndex()))) {
      clean_ = false;  // a name in Cyrillic, reported once by the repairs
    } else if (type == DalizLexer::BAD_CHAR) {
      std::string text = t->getText();
      if (text.size() == 1 && (static_cast<unsigned char>(text[0]) < 0x20 || text[0] == 0x7F)) {
        char hex[8];
        std::snprintf(hex, sizeof hex, "\\x%02X", static_cast<unsigned char>(text[0]));
        text = hex;
      }
      reportSyntax(Diag::BadCharacter, range(t), {text});
      clean_ = false;
    } else if (type == DalizLexer::UNTERMINATED_STRING) {
      reportSyntax(Diag::UnterminatedString, range(t));
      clean_ = false;
    } else if (type == DalizLexer::UNTERMINATED_COMMENT) {
      SourceRange r = range(t);
      reportSyntax(Diag::UnterminatedComment, {r.file, r.begin, r.begin + 2});
      clean_ = false;
    }
    if (type == DalizLexer::LPAREN || type == DalizLexer::LBRACE || type == DalizLexer::LBRACK)
      ++depth;
    if (type == DalizLexer::RPAREN || type == DalizLexer::RBRACE || type == DalizLexer::RBRACK)
      depth = std::max(0, depth - 1);
    prefixRun = (type == DalizLexer::NOT || type == DalizLexer::MINUS) ? prefixRun + 1 : 0;
    if (depth > kMaxNesting || prefixRun > kMaxNesting) {
      reportSyntax(Diag::NestingTooDeep, range(t), {std::to_string(kMaxNesting)});
      return false;
    }
    return !sink_.capReached(file_);
  }

  // The end of a chunk that the next declaration ends: an end-of-input token placed where
  // that declaration begins.
  std::unique_ptr<antlr4::Token> endOfChunk(const antlr4::Token& next) {
    auto eof = std::make_unique<antlr4::CommonToken>(
        std::make_pair(static_cast<antlr4::TokenSource*>(&lexer_),
                       static_cast<antlr4::CharStream*>(&input_)),
        antlr4::Token::EOF, antlr4::Token::DEFAULT_CHANNEL, next.getStartIndex(),
        next.getStartIndex() - 1);
    eof->setLine(next.getLine());
    eof->setCharPositionInLine(next.getCharPositionInLine());
    return eof;
  }

  // What an error message names for token `t`: a chunk's end stands for the first token of
  // the declaration after it, so that messages read as they would over the whole file.
  antlr4::Token* visible(antlr4::Token* t) const {
    return t != nullptr && t->getType() == antlr4::Token::EOF && next_ ? next_.get() : t;
  }

  Diagnostic* reportSyntax(Diag id, SourceRange r, std::vector<std::string> args = {}) {
    ++syntaxErrors_;
    return report(id, r, std::move(args));
  }

  uint32_t byteAt(size_t codePoint) const {
    if (codePoint >= byteOfCodePoint_.size()) return base_ + byteOfCodePoint_.back();
    return base_ + byteOfCodePoint_[codePoint];
  }

  static bool endsOperand(antlr4::Token* t) {
    switch (t->getType()) {
      case DalizLexer::ID: case DalizLexer::STRING: case DalizLexer::INT: case DalizLexer::DECIMAL:
      case DalizLexer::PERCENT: case DalizLexer::DATE: case DalizLexer::TRUE: case DalizLexer::FALSE:
      case DalizLexer::DECLARATION:
        return true;
      default:
        return t->getText() == ")" || t->getText() == "]";
    }
  }

  void syntaxError(antlr4::Recognizer*, antlr4::Token* offending, size_t, size_t,
                   const std::string&, std::exception_ptr) override {
    // One message per offending token: ANTLR's recovery may trip over it again.
    if (offending != nullptr && !reportedTokens_.insert(offending->getTokenIndex()).second) return;
    antlr4::Token* previous = nullptr;
    if (offending != nullptr && offending->getTokenIndex() > 0)
      previous = chunk_->tokens.get(offending->getTokenIndex() - 1);
    // `x = "40"` in a condition: `=` only binds names (`let`, `set`), it never compares. An
    // unexpected `=` right after an operand is a comparison written with one sign.
    if (offending != nullptr && offending->getText() == "=" && previous != nullptr && endsOperand(previous) &&
        dynamic_cast<DalizParser::ObjectLiteralContext*>(chunk_->parser.getContext()) == nullptr) {
      if (Diagnostic* d = reportSyntax(Diag::SingleEquals, range(offending)))
        d->withHelp(Diag::HelpWrite, {"=="}, {FixIt{range(offending), "=="}});
      return;
    }
    // `… and` followed by something that cannot start an operand: ANTLR blames the operator,
    // the analyst needs to hear that the operand after it is missing.
    // `when or x`: the condition is missing before the operator, not after it.
    if (offending != nullptr && previous != nullptr && isConditionOperator(offending->getType()) &&
        offending->getType() != DalizLexer::NOT && offending->getType() != DalizLexer::WHEN &&
        (isConditionOperator(previous->getType()) || isExpressionOperator(previous->getType()))) {
      reportSyntax(Diag::ExpectedCondition, range(offending), {previous->getText(), describe(offending)});
      return;
    }
    // `weight: }`: a type is missing.
    if (dynamic_cast<DalizParser::TypeRefContext*>(chunk_->parser.getContext()) != nullptr) {
      if (Diagnostic* d = reportSyntax(Diag::ExpectedToken, range(visible(offending)),
                                       {"a type", describe(visible(offending), base_ != 0)}))
        d->withHelp(Diag::HelpNameType);
      return;
    }
    if (offending != nullptr && offending->getType() != antlr4::Token::EOF &&
        (isConditionOperator(offending->getType()) || isExpressionOperator(offending->getType())) &&
        offending->getType() != DalizLexer::WHEN && offending->getType() != DalizLexer::NOT) {
      antlr4::Token* next = visible(chunk_->tokens.get(offending->getTokenIndex() + 1));
      bool condition = isConditionOperator(offending->getType());
      reportSyntax(condition ? Diag::ExpectedCondition : Diag::ExpectedExpression, range(next),
                   {offending->getText(), describe(next, base_ != 0)});
      return;
    }
    offending = visible(offending);
    SourceRange where = range(offending);
    std::string found = describe(offending, base_ != 0);
    if (dynamic_cast<DalizParser::FileContext*>(chunk_->parser.getContext()) != nullptr) {
      reportSyntax(Diag::ExpectedDeclaration, where, {found});
      return;
    }
    if (previous != nullptr && isConditionOperator(previous->getType())) {
      reportSyntax(Diag::ExpectedCondition, where, {previous->getText(), found});
      return;
    }
    if (previous != nullptr && isExpressionOperator(previous->getType())) {
      reportSyntax(Diag::ExpectedExpression, where, {previous->getText(), found});
      return;
    }
    antlr4::misc::IntervalSet expected;
    try {
      expected = chunk_->parser.getExpectedTokens();
    } catch (...) {
    }
    std::vector<std::string> names;
    for (size_t t : expected.toList()) {
      if (t == antlr4::Token::EOF) continue;
      std::string n = chunk_->parser.getVocabulary().getLiteralName(t);
      if (n.empty()) continue;  // a token class such as ID: not a helpful list item
      names.push_back("`" + n.substr(1, n.size() - 2) + "`");
    }
    if (!names.empty() && names.size() <= 4) {
      std::string list;
      for (size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
      reportSyntax(Diag::ExpectedToken, where, {list, found});
      return;
    }
    // The file (not a chunk) ends inside a block: name the brace that is missing.
    if (offending != nullptr && offending->getType() == antlr4::Token::EOF && expected.contains(static_cast<size_t>(DalizLexer::RBRACE))) {
      if (Diagnostic* d = reportSyntax(Diag::ExpectedToken, where, {"`}`", found}))
        d->withHelp(Diag::HelpWrite, {"}"}, {FixIt{where, "}\n"}});
      return;
    }
    std::string after = previous ? " after `" + previous->getText() + "`" : "";
    std::string text = offending == nullptr || offending->getType() == antlr4::Token::EOF
                           ? found
                           : "`" + offending->getText().substr(0, 40) + "`";
    reportSyntax(Diag::UnexpectedToken, where, {text, after});
  }

  // The tokens and tree of one chunk; the parser owns its tree (ANTLR's tracker).
  struct Chunk {
    explicit Chunk(std::vector<std::unique_ptr<antlr4::Token>> list)
        : source(std::move(list)), tokens(&source), parser(&tokens) {}
    antlr4::ListTokenSource source;
    antlr4::CommonTokenStream tokens;
    DalizParser parser;
  };

  uint32_t file_, base_;
  DiagnosticSink& sink_;
  std::vector<uint32_t> byteOfCodePoint_;
  std::set<size_t> reportedTokens_;
  RepairedText repaired_;
  CodePointStream input_;
  DalizLexer lexer_;
  std::unique_ptr<antlr4::Token> next_;  // the first token of the next chunk, once lexed
  std::unique_ptr<Chunk> chunk_;
  bool atEnd_ = false, stopped_ = false, clean_ = true;
  size_t syntaxErrors_ = 0;
};
// Builds AST nodes from one ParseUnit's contexts.
class Builder {
 public:
  Builder(const SourceManager& sources, ParseUnit& unit, DiagnosticSink& sink)
      : sources_(sources), unit_(unit), sink_(sink) {}

  void buildFile(P::FileContext* ctx, Module& module) {
    for (auto* top : ctx->topDecl()) {
      std::unique_ptr<Decl> d = buildTop(top);
      if (d) module.decls.push_back(std::move(d));
    }
  }

  ExprPtr buildExpr(P::ExprContext* ctx) {
    if (ctx == nullptr) return std::make_unique<ErrorExpr>(unit_.range(ctx));
    if (++depth_ > kMaxExprDepth) {
      --depth_;
      if (!depthReported_) {
        unit_.report(Diag::NestingTooDeep, unit_.range(ctx), {std::to_string(kMaxExprDepth)});
        depthReported_ = true;
      }
      return std::make_unique<ErrorExpr>(unit_.range(ctx));
    }
    ExprPtr e = buildExprInner(ctx);
    --depth_;
    return e;
  }

 private:
  SourceRange range(antlr4::ParserRuleContext* c) { return unit_.range(c); }
  SourceRange range(antlr4::Token* t) { return unit_.range(t); }
  SourceRange range(antlr4::tree::TerminalNode* n) { return unit_.range(n); }

  Name name(antlr4::tree::TerminalNode* n) { return {n ? n->getText() : "", range(n)}; }
  Name name(antlr4::Token* t) { return {t ? t->getText() : "", range(t)}; }
  Name name(P::FieldNameContext* f) { return {f ? f->getText() : "", range(f)}; }

  // Resolves escapes; `interpolate` keeps `\{` and `\}` for the reason splitter.
  std::string unquote(antlr4::Token* t, bool interpolate = false) {
    std::string raw = t->getText();
    SourceRange r = range(t);
    std::string out;
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      if (raw[i] != '\\') {
        out += raw[i];
        continue;
      }
      char c = raw[++i];
      switch (c) {
        case '"': out += '"'; break;
        case '\\': out += interpolate ? "\\\\" : "\\"; break;
        case 'n': out += '\n'; break;
        case '{': case '}':
          if (interpolate) out += '\\';
          out += c;
          break;
        default: {
          SourceRange at{r.file, r.begin + static_cast<uint32_t>(i) - 1, r.begin + static_cast<uint32_t>(i) + 1};
          unit_.report(Diag::UnknownEscape, at, {std::string(1, c)});
        }
      }
    }
    return out;
  }
  std::string unquote(antlr4::tree::TerminalNode* n) { return n ? unquote(n->getSymbol()) : ""; }

  TypeRef buildType(P::TypeRefContext* ctx) {
    TypeRef t;
    if (ctx == nullptr) return t;
    t.name = name(ctx->typeName);
    if (ctx->typeRef()) t.arg = std::make_unique<TypeRef>(buildType(ctx->typeRef()));
    t.optional = ctx->optional != nullptr;
    t.range = range(ctx);
    return t;
  }

  Param buildParam(P::ParamContext* ctx) {
    Param p;
    p.name = name(ctx->ID());
    p.typeRef = buildType(ctx->typeRef());
    return p;
  }

  std::unique_ptr<Decl> buildTop(P::TopDeclContext* ctx) {
    std::unique_ptr<Decl> d;
    if (auto* c = ctx->enumDecl()) {
      auto e = std::make_unique<EnumDecl>(name(c->ID(0)));
      for (size_t i = 1; i < c->ID().size(); ++i) e->values.push_back(name(c->ID(i)));
      d = std::move(e);
    } else if (auto* c = ctx->recordDecl()) {
      auto r = std::make_unique<RecordDecl>(name(c->ID()));
      r->root = c->ROOT() != nullptr;
      for (auto* f : c->fieldDecl())
        r->fields.push_back({name(f->fieldName()), buildType(f->typeRef()), nullptr});
      d = std::move(r);
    } else if (auto* c = ctx->measureDecl()) {
      d = buildMeasure(c);
    } else if (auto* c = ctx->setDecl()) {
      auto s = std::make_unique<SetDecl>(name(c->ID()));
      s->typeRef = buildType(c->typeRef());
      s->elements = buildSetLiteral(c->setLiteral());
      d = std::move(s);
    } else if (auto* c = ctx->tableDecl()) {
      auto t = std::make_unique<TableDecl>(name(c->ID()));
      for (auto* p : c->param()) t->keys.push_back(buildParam(p));
      t->valueRef = buildType(c->typeRef());
      t->file = {unquote(c->STRING()), range(c->STRING())};
      d = std::move(t);
    } else if (auto* c = ctx->indicatorDecl()) {
      auto ind = std::make_unique<IndicatorDecl>(name(c->ID()));
      for (auto* p : c->param()) ind->params.push_back(buildParam(p));
      ind->resultRef = buildType(c->typeRef());
      ind->body = buildExpr(c->expr());
      d = std::move(ind);
    } else if (auto* c = ctx->profileDecl()) {
      d = buildProfile(c);
    } else if (auto* c = ctx->testDecl()) {
      d = buildTest(c);
    } else if (auto* c = ctx->categorizeDecl()) {
      d = buildCategorize(c);
    } else if (auto* c = ctx->planDecl()) {
      d = buildPlan(c);
    }
    if (d) d->range = range(ctx);
    return d;
  }

  std::unique_ptr<Decl> buildMeasure(P::MeasureDeclContext* c) {
    auto m = std::make_unique<MeasureDecl>(name(c->name));
    if (c->codeWord != nullptr) {
      if (c->codeWord->getText() != "code")
        unit_.report(Diag::MeasureSyntax, range(c->codeWord), {"code", c->codeWord->getText()});
      m->code = unquote(c->code);
    }
    if (c->corridorWord != nullptr && c->corridorWord->getText() != "corridor")
      unit_.report(Diag::MeasureSyntax, range(c->corridorWord), {"corridor", c->corridorWord->getText()});
    m->corridorName = name(c->corridor);
    if (c->description != nullptr) m->description = unquote(c->description);
    if (c->takesWord != nullptr) {
      if (c->takesWord->getText() != "takes")
        unit_.report(Diag::MeasureSyntax, range(c->takesWord), {"takes", c->takesWord->getText()});
      else if (c->takes->getText() != "documents")
        unit_.report(Diag::MeasureTakesWhat, range(c->takes), {c->takes->getText()});
      else
        m->takesDocuments = true;
    }
    return m;
  }

  std::unique_ptr<SetLitExpr> buildSetLiteral(P::SetLiteralContext* c) {
    auto s = std::make_unique<SetLitExpr>(range(c));
    if (c == nullptr) return s;
    for (auto* el : c->setElement()) {
      SetElement e;
      e.low = buildExpr(el->expr(0));
      if (el->expr().size() > 1) e.high = buildExpr(el->expr(1));
      s->elements.push_back(std::move(e));
    }
    return s;
  }

  // Profile clauses may come in any order; each at most once, except `let`.
  std::unique_ptr<Decl> buildProfile(P::ProfileDeclContext* c) {
    Name id{unquote(c->STRING()), range(c->STRING())};
    auto p = std::make_unique<ProfileDecl>(id);
    std::set<std::string> seen;
    auto once = [&](antlr4::ParserRuleContext* clause, const std::string& word) {
      if (!seen.insert(word).second) {
        unit_.report(Diag::DuplicateClause, range(clause->getStart()), {word});
        return false;
      }
      return true;
    };
    for (auto* clause : c->profileClause()) {
      if (auto* k = dynamic_cast<P::TitleClauseContext*>(clause)) {
        if (once(k, "title")) p->title = unquote(k->STRING());
      } else if (auto* k = dynamic_cast<P::AreaClauseContext*>(clause)) {
        if (once(k, "area")) p->area = unquote(k->STRING());
      } else if (auto* k = dynamic_cast<P::LevelClauseContext*>(clause)) {
        if (once(k, "level")) p->levelName = name(k->ID());
      } else if (auto* k = dynamic_cast<P::StatusClauseContext*>(clause)) {
        if (once(k, "status")) p->statusName = name(k->ID());
      } else if (auto* k = dynamic_cast<P::ValidClauseContext*>(clause)) {
        if (once(k, "valid")) {
          auto from = buildDate(k->DATE(0)), to = buildDate(k->DATE(1));
          p->validRange = range(k);
          if (from && to) p->valid = std::make_pair(*from, *to);
        }
      } else if (auto* k = dynamic_cast<P::ScopeClauseContext*>(clause)) {
        if (once(k, "scope") && k->ITEM()) p->itemVar = name(k->ID());
      } else if (auto* k = dynamic_cast<P::SampleClauseContext*>(clause)) {
        if (once(k, "sample")) {
          p->sample = buildExpr(k->expr());
          if (auto* key = k->sampleKey()) {
            for (auto* e : key->expr()) p->sampleBy.push_back(buildExpr(e));
            p->sampleByRange = range(key);
          }
          if (auto* per = k->samplePeriod()) p->samplePer = name(per->period);
        }
      } else if (auto* k = dynamic_cast<P::LetClauseContext*>(clause)) {
        p->lets.push_back({name(k->ID()), buildExpr(k->expr()), nullptr});
      } else if (auto* k = dynamic_cast<P::WhenClauseContext*>(clause)) {
        if (once(k, "when")) p->when = buildExpr(k->expr());
      } else if (auto* k = dynamic_cast<P::MeasuresClauseContext*>(clause)) {
        if (once(k, "measures"))
          for (auto* use : k->measureUse()) buildMeasureUse(*p, use);
      } else if (auto* k = dynamic_cast<P::ReasonClauseContext*>(clause)) {
        if (once(k, "reason")) {
          p->hasReason = true;
          p->reason = buildReason(k->STRING()->getSymbol());
        }
      } else if (auto* k = dynamic_cast<P::NoticeClauseContext*>(clause)) {
        if (once(k, "notice")) {
          p->noticeRange = range(k);
          if (k->STRING() != nullptr) p->notice.push_back({Name{}, 0, buildReason(k->STRING()->getSymbol())});
          for (auto* t : k->noticeText())
            p->notice.push_back({name(t->language), 0, buildReason(t->text)});
        }
      } else if (auto* k = dynamic_cast<P::UnknownClauseContext*>(clause)) {
        static const std::vector<std::string> kClauses = {
            "title", "area", "level", "valid", "status", "scope", "sample", "let", "when",
            "measures", "reason", "notice"};
        std::string word = k->ID()->getText();
        std::string best = closestMatch(word, kClauses);
        Diagnostic* d = unit_.report(Diag::UnknownClause, range(k->ID()), {word, suggestion(word, kClauses)});
        if (d && !best.empty()) d->withHelp(Diag::HelpWrite, {best}, {FixIt{range(k->ID()), best}});
      }
    }
    return p;
  }

  // `m` or `m(args…)` of a `measures` clause: the arguments are checked against the measure
  // by the checker.
  void buildMeasureUse(ProfileDecl& p, P::MeasureUseContext* use) {
    p.measures.push_back(name(use->ID()));
    if (use->getStop() == use->ID()->getSymbol()) return;  // no parentheses
    MeasureArgs args;
    args.measure = p.measures.size() - 1;
    args.range = range(use);
    for (auto* a : use->measureArg()) {
      if (a->kind != nullptr) {
        args.documents.push_back({name(a->kind), false});
      } else if (a->code != nullptr) {
        args.documents.push_back({Name{unquote(a->code), range(a->code)}, true});
      } else {
        int64_t n = 0;
        const std::string digits = a->days->getText();
        auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
        if (ec != std::errc() || end != digits.data() + digits.size()) n = INT64_MAX;
        args.deadlines.push_back({Name{a->unit->getText(), range(a)}, n});
      }
    }
    p.measureArgs.push_back(std::move(args));
  }

  // A percentage literal (`2.5%`) as the fraction it stands for (0.025); reported when it is not
  // a valid decimal.
  std::optional<Decimal> percentValue(std::string text, SourceRange r) {
    const std::string written = text;
    text.pop_back();
    std::string why;
    auto v = parseDecimal(text, &why);
    if (v && v->units % 100 != 0) v.reset(), why = "more than 6 fractional digits";
    if (!v) {
      unit_.report(Diag::DecimalLiteral, r, {written, why});
      return std::nullopt;
    }
    return Decimal{v->units / 100};
  }

  // `plan "ID" [office "CODE"] { CORRIDOR LOW% .. HIGH% [random R%] … }`.
  std::unique_ptr<Decl> buildPlan(P::PlanDeclContext* c) {
    auto plan = std::make_unique<PlanDecl>(Name{unquote(c->id), range(c->id)});
    if (c->officeWord != nullptr) {
      if (c->officeWord->getText() != "office")
        unit_.report(Diag::PlanWord, range(c->officeWord), {"office", c->officeWord->getText()});
      plan->office = Name{unquote(c->office), range(c->office)};  // one mistake, one error
    }
    for (auto* l : c->planLine()) {
      PlanLine line;
      line.corridor = name(l->corridor);
      line.range = range(l);
      line.lowRange = range(l->low);
      line.highRange = range(l->high);
      line.low = percentValue(l->low->getText(), line.lowRange);
      line.high = percentValue(l->high->getText(), line.highRange);
      if (l->randomWord != nullptr) {
        line.hasRandom = true;
        line.randomRange = range(l->random);
        if (l->randomWord->getText() != "random")
          unit_.report(Diag::PlanWord, range(l->randomWord), {"random", l->randomWord->getText()});
        else
          line.random = percentValue(l->random->getText(), line.randomRange);
      }
      plan->lines.push_back(std::move(line));
    }
    return plan;
  }

  // A categorize block: `title` once, rules in order, one `default`. `rule` and `default` are
  // words of the grammar's ID alternatives, checked here.
  std::unique_ptr<Decl> buildCategorize(P::CategorizeDeclContext* c) {
    auto k = std::make_unique<CategorizeDecl>(Name{unquote(c->STRING()), range(c->STRING())});
    static const std::vector<std::string> kWords = {"title", "rule", "default"};
    bool titled = false;
    auto expectWord = [&](antlr4::Token* word, const std::string& want) {
      if (word->getText() == want) return true;
      unit_.report(Diag::UnknownCategorizeClause, range(word), {word->getText(), suggestion(word->getText(), kWords)});
      return false;
    };
    for (auto* clause : c->categorizeClause()) {
      if (auto* t = dynamic_cast<P::CategorizeTitleContext*>(clause)) {
        if (titled) unit_.report(Diag::DuplicateCategorizeClause, range(t->getStart()), {"title"});
        else k->title = unquote(t->STRING());
        titled = true;
      } else if (auto* r = dynamic_cast<P::CategorizeRuleContext*>(clause)) {
        if (!expectWord(r->word, "rule")) continue;
        CategoryRule rule;
        rule.id = {unquote(r->id), range(r->id)};
        rule.category = name(r->category);
        rule.when = buildExpr(r->expr());
        rule.reason = buildReason(r->text);
        rule.range = range(r);
        k->rules.push_back(std::move(rule));
      } else if (auto* d = dynamic_cast<P::CategorizeDefaultContext*>(clause)) {
        if (!expectWord(d->word, "default")) continue;
        if (k->fallback) {
          unit_.report(Diag::DuplicateCategorizeClause, range(d->word), {"default"});
          continue;
        }
        CategoryRule rule;
        rule.id = {"", range(d->word)};
        rule.category = name(d->category);
        rule.reason = buildReason(d->text);
        rule.range = range(d);
        k->fallback = std::move(rule);
      }
    }
    return k;
  }

  std::optional<Date> buildDate(antlr4::tree::TerminalNode* n) {
    if (n == nullptr) return std::nullopt;
    auto d = parseDate(n->getText());
    if (!d) unit_.report(Diag::InvalidDate, range(n), {n->getText()});
    return d;
  }

  // Splits a reason into text and `{expr}` parts; each expression is parsed on its own with
  // positions that point into the reason string in the file.
  std::vector<ReasonPart> buildReason(antlr4::Token* tok) {
    std::vector<ReasonPart> parts;
    SourceRange r = range(tok);
    std::string_view raw = sources_.text(r);  // with quotes and escapes, as in the file
    std::string text;
    auto flush = [&] {
      if (!text.empty()) parts.push_back({std::move(text), nullptr});
      text.clear();
    };
    for (size_t i = 1; i + 1 < raw.size(); ++i) {
      char ch = raw[i];
      if (ch == '\\' && i + 2 < raw.size()) {
        char n = raw[++i];
        if (std::string_view("\"\\n{}").find(n) == std::string_view::npos) {
          uint32_t at = r.begin + static_cast<uint32_t>(i) - 1;
          unit_.report(Diag::UnknownEscape, {r.file, at, at + 2}, {std::string(1, n)});
          continue;
        }
        text += n == 'n' ? '\n' : n;
        continue;
      }
      if (ch != '{') {
        text += ch;
        continue;
      }
      size_t close = raw.find('}', i + 1);
      uint32_t at = r.begin + static_cast<uint32_t>(i);
      if (close == std::string_view::npos || close + 1 > raw.size() - 1) {
        unit_.report(Diag::UnclosedInterpolation, {r.file, at, at + 1});
        break;
      }
      std::string_view inner = raw.substr(i + 1, close - i - 1);
      if (inner.find_first_not_of(" \t") == std::string_view::npos) {
        unit_.report(Diag::EmptyInterpolation, {r.file, at, at + static_cast<uint32_t>(close - i + 1)});
      } else {
        flush();
        parts.push_back({"", parseInterpolation(at + 1, inner)});
      }
      i = close;
    }
    flush();
    return parts;
  }

  ExprPtr parseInterpolation(uint32_t base, std::string_view text) {
    ParseUnit sub(sources_, unit_.file(), base, text, sink_);
    if (!sub.screenTokens()) return std::make_unique<ErrorExpr>(SourceRange{unit_.file(), base, base});
    auto* ctx = sub.parser().interpolation();
    Builder b(sources_, sub, sink_);
    return b.buildExpr(ctx->expr());
  }

  std::unique_ptr<Decl> buildTest(P::TestDeclContext* c) {
    auto t = std::make_unique<TestDecl>(Name{unquote(c->STRING()), range(c->STRING())});
    for (auto* stmt : c->testStmt()) {
      if (auto* g = dynamic_cast<P::GivenStmtContext*>(stmt)) {
        t->givens.push_back(buildObject(g->objectLiteral()));
      } else if (auto* g = dynamic_cast<P::GivenRecordStmtContext*>(stmt)) {
        if (g->word->getText() != "participant") {
          unit_.report(Diag::GivenWhat, range(g->word), {g->word->getText()});
          continue;
        }
        t->participant = true;
        t->givens.push_back(buildObject(g->objectLiteral()));
      } else if (auto* r = dynamic_cast<P::ExpectRuleContext*>(stmt)) {
        if (r->word->getText() != "rule") {
          unit_.report(Diag::ExpectWhat, range(r->word), {r->word->getText()});
          continue;
        }
        Expectation e{Expectation::Kind::Rule, range(r), {}, {unquote(r->text), range(r->text)}, {}, {}};
        t->expectations.push_back(std::move(e));
      } else if (auto* h = dynamic_cast<P::ExpectHitContext*>(stmt)) {
        Expectation e{h->NO() ? Expectation::Kind::NoHit : Expectation::Kind::Hit, range(h), {}, {}, {}, {}};
        e.profile = {unquote(h->STRING()), range(h->STRING())};
        if (h->INT()) e.item = parseInt(h->INT()).value_or(0);
        t->expectations.push_back(std::move(e));
      } else if (auto* m = dynamic_cast<P::ExpectMeasuresContext*>(stmt)) {
        Expectation e{Expectation::Kind::Measures, range(m), {}, {}, {}, {}};
        for (auto* id : m->ID()) e.measures.push_back(name(id));
        t->expectations.push_back(std::move(e));
      } else if (auto* k = dynamic_cast<P::ExpectCorridorContext*>(stmt)) {
        const std::string word = k->word->getText();
        if (word != "corridor" && word != "category") {
          unit_.report(Diag::ExpectWhat, range(k->word), {word});
          continue;
        }
        Expectation e{word == "corridor" ? Expectation::Kind::Corridor : Expectation::Kind::Category,
                      range(k), name(k->value), {}, {}, {}};
        t->expectations.push_back(std::move(e));
      }
    }
    return t;
  }

  std::unique_ptr<LiteralValue> buildObject(P::ObjectLiteralContext* c) {
    auto v = std::make_unique<LiteralValue>();
    v->kind = LiteralValue::Kind::Object;
    v->range = range(c);
    if (c == nullptr) return v;
    for (size_t i = 0; i < c->fieldName().size(); ++i)
      v->fields.emplace_back(name(c->fieldName(i)), buildLiteral(c->literalValue(i)));
    return v;
  }

  std::unique_ptr<LiteralValue> buildLiteral(P::LiteralValueContext* c) {
    if (c != nullptr && c->objectLiteral()) return buildObject(c->objectLiteral());
    auto v = std::make_unique<LiteralValue>();
    v->range = range(c);
    if (c == nullptr) return v;
    if (c->expr()) {
      v->scalar = buildExpr(c->expr());
    } else {
      v->kind = LiteralValue::Kind::List;
      for (auto* el : c->literalValue()) v->elements.push_back(buildLiteral(el));
    }
    return v;
  }

  std::optional<int64_t> parseInt(antlr4::tree::TerminalNode* n) {
    const std::string text = n->getText();
    int64_t v = 0;
    for (char ch : text) {
      if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, ch - '0', &v)) {
        unit_.report(Diag::IntegerTooLarge, range(n), {text});
        return std::nullopt;
      }
    }
    return v;
  }

  std::vector<ExprPtr> buildArgs(const std::vector<P::ExprContext*>& ctxs, size_t from = 0) {
    std::vector<ExprPtr> args;
    for (size_t i = from; i < ctxs.size(); ++i) args.push_back(buildExpr(ctxs[i]));
    return args;
  }

  ExprPtr binary(P::ExprContext* ctx, BinaryOp op, antlr4::Token* opTok) {
    auto* lhsCtx = ctx->children.front();
    auto* rhsCtx = ctx->children.back();
    auto b = std::make_unique<BinaryExpr>(range(ctx), op,
                                          buildExpr(dynamic_cast<P::ExprContext*>(lhsCtx)),
                                          buildExpr(dynamic_cast<P::ExprContext*>(rhsCtx)));
    b->opRange = range(opTok);
    bool comparison = op >= BinaryOp::Eq && op <= BinaryOp::Ge;
    if (comparison) {
      for (Expr* side : {b->lhs.get(), b->rhs.get()}) {
        auto* inner = dynamic_cast<BinaryExpr*>(side);
        if (inner && !inner->parenthesized && inner->op >= BinaryOp::Eq && inner->op <= BinaryOp::Ge) {
          // `a < b < c` → `a < b and b < c`: the comparison is not typed (one error, not two).
          Diagnostic* d = unit_.report(Diag::ChainedComparison, b->opRange);
          if (d && side == b->lhs.get()) {
            std::string fixed = std::string(sources_.text(inner->range)) + " and " +
                                std::string(sources_.text(inner->rhs->range)) + " " +
                                std::string(sources_.text({b->range.file, b->opRange.begin, b->range.end}));
            d->withHelp(Diag::HelpWrite, {fixed}, {FixIt{b->range, fixed}});
          }
          return std::make_unique<ErrorExpr>(b->range);
        }
      }
    }
    return b;
  }

  ExprPtr buildExprInner(P::ExprContext* ctx) {
    SourceRange r = range(ctx);
    if (auto* c = dynamic_cast<P::PrimaryExprContext*>(ctx)) return buildPrimary(c->primary());
    if (auto* c = dynamic_cast<P::FieldExprContext*>(ctx))
      return std::make_unique<FieldExpr>(r, buildExpr(c->expr()), name(c->fieldName()));
    if (auto* c = dynamic_cast<P::MethodCallExprContext*>(ctx)) {
      auto exprs = c->expr();
      return std::make_unique<MethodCallExpr>(r, buildExpr(exprs[0]), name(c->fieldName()),
                                              buildArgs(exprs, 1));
    }
    if (auto* c = dynamic_cast<P::LookupExprContext*>(ctx)) {
      auto exprs = c->expr();
      return std::make_unique<LookupExpr>(r, buildExpr(exprs[0]), buildArgs(exprs, 1));
    }
    if (auto* c = dynamic_cast<P::NegExprContext*>(ctx)) {
      // Fold `-5` and `-1.5` into literals so that they adapt like any literal.
      ExprPtr operand = buildExpr(c->expr());
      if (operand->kind == ExprKind::IntLit && !operand->parenthesized) {
        auto* lit = static_cast<IntLit*>(operand.get());
        lit->value = -lit->value;
        lit->range = r;
        return operand;
      }
      if ((operand->kind == ExprKind::DecimalLit || operand->kind == ExprKind::PercentLit) &&
          !operand->parenthesized) {
        auto* lit = static_cast<DecimalLit*>(operand.get());
        lit->value = *neg(lit->value);
        lit->range = r;
        return operand;
      }
      return std::make_unique<UnaryExpr>(ExprKind::Neg, r, std::move(operand));
    }
    if (auto* c = dynamic_cast<P::NotExprContext*>(ctx))
      return std::make_unique<UnaryExpr>(ExprKind::Not, r, buildExpr(c->expr()));
    if (auto* c = dynamic_cast<P::MulExprContext*>(ctx))
      return binary(c, c->op->getType() == DalizLexer::STAR ? BinaryOp::Mul : BinaryOp::Div, c->op);
    if (auto* c = dynamic_cast<P::AddExprContext*>(ctx))
      return binary(c, c->op->getType() == DalizLexer::PLUS ? BinaryOp::Add : BinaryOp::Sub, c->op);
    if (auto* c = dynamic_cast<P::CoalesceExprContext*>(ctx))
      return binary(c, BinaryOp::Coalesce, c->COALESCE() ? c->COALESCE()->getSymbol() : c->getStart());
    if (auto* c = dynamic_cast<P::CompareExprContext*>(ctx)) {
      BinaryOp op = BinaryOp::Eq;
      switch (c->op->getType()) {
        case DalizLexer::EQ: op = BinaryOp::Eq; break;
        case DalizLexer::NE: op = BinaryOp::Ne; break;
        case DalizLexer::LT: op = BinaryOp::Lt; break;
        case DalizLexer::LE: op = BinaryOp::Le; break;
        case DalizLexer::GT: op = BinaryOp::Gt; break;
        default: op = BinaryOp::Ge; break;
      }
      return binary(c, op, c->op);
    }
    if (auto* c = dynamic_cast<P::AndExprContext*>(ctx)) return binary(c, BinaryOp::And, c->AND()->getSymbol());
    if (auto* c = dynamic_cast<P::OrExprContext*>(ctx)) return binary(c, BinaryOp::Or, c->OR()->getSymbol());
    if (auto* c = dynamic_cast<P::InExprContext*>(ctx))
      return std::make_unique<InExpr>(r, buildExpr(c->expr(0)), buildExpr(c->expr(1)), c->NOT() != nullptr);
    if (auto* c = dynamic_cast<P::IsExprContext*>(ctx))
      return std::make_unique<IsExpr>(r, buildExpr(c->expr()), c->MISSING() != nullptr);
    return std::make_unique<ErrorExpr>(r);
  }

  ExprPtr buildPrimary(P::PrimaryContext* ctx) {
    SourceRange r = range(ctx);
    if (auto* c = dynamic_cast<P::IntPrimaryContext*>(ctx)) {
      auto v = parseInt(c->INT());
      if (!v) return std::make_unique<ErrorExpr>(r);
      return std::make_unique<IntLit>(r, *v);
    }
    if (auto* c = dynamic_cast<P::DecimalPrimaryContext*>(ctx)) {
      std::string why;
      auto v = parseDecimal(c->getText(), &why);
      if (!v) {
        unit_.report(Diag::DecimalLiteral, r, {c->getText(), why});
        return std::make_unique<ErrorExpr>(r);
      }
      return std::make_unique<DecimalLit>(ExprKind::DecimalLit, r, *v);
    }
    if (auto* c = dynamic_cast<P::PercentPrimaryContext*>(ctx)) {
      auto v = percentValue(c->getText(), r);
      if (!v) return std::make_unique<ErrorExpr>(r);
      return std::make_unique<DecimalLit>(ExprKind::PercentLit, r, *v);
    }
    if (auto* c = dynamic_cast<P::StringPrimaryContext*>(ctx))
      return std::make_unique<StringLit>(r, unquote(c->STRING()));
    if (auto* c = dynamic_cast<P::DatePrimaryContext*>(ctx)) {
      auto d = buildDate(c->DATE());
      if (!d) return std::make_unique<ErrorExpr>(r);
      return std::make_unique<DateLit>(r, *d);
    }
    if (auto* c = dynamic_cast<P::BoolPrimaryContext*>(ctx))
      return std::make_unique<BoolLit>(r, c->TRUE() != nullptr);
    if (dynamic_cast<P::DeclarationPrimaryContext*>(ctx)) return std::make_unique<DeclarationExpr>(r);
    if (auto* c = dynamic_cast<P::NamePrimaryContext*>(ctx))
      return std::make_unique<NameExpr>(r, c->ID()->getText());
    if (auto* c = dynamic_cast<P::ParenPrimaryContext*>(ctx)) {
      ExprPtr inner = buildExpr(c->expr());
      inner->parenthesized = true;
      return inner;
    }
    if (auto* c = dynamic_cast<P::SetPrimaryContext*>(ctx)) return buildSetLiteral(c->setLiteral());
    if (auto* c = dynamic_cast<P::CallPrimaryContext*>(ctx)) {
      std::vector<P::ExprContext*> exprs = c->expr();
      if (c->body == nullptr) {
        // `any(i in L, cond)`: `,` written for `:`. Reported once, then read as meant.
        static const std::vector<std::string> kQuantifiers = {"any", "all", "count", "sum", "min", "max"};
        auto q = std::find(kQuantifiers.begin(), kQuantifiers.end(), c->ID()->getText());
        auto* binding = exprs.size() == 2 ? dynamic_cast<P::InExprContext*>(exprs[0]) : nullptr;
        auto* var = binding ? dynamic_cast<P::PrimaryExprContext*>(binding->expr(0)) : nullptr;
        auto* varName = var ? dynamic_cast<P::NamePrimaryContext*>(var->primary()) : nullptr;
        if (q != kQuantifiers.end() && varName != nullptr && binding->NOT() == nullptr) {
          antlr4::Token* comma = nullptr;
          for (auto* child : c->children)
            if (auto* t = dynamic_cast<antlr4::tree::TerminalNode*>(child); t && t->getText() == ",") comma = t->getSymbol();
          SourceRange at = comma ? range(comma) : range(exprs[1]);
          if (Diagnostic* d = unit_.report(Diag::ExpectedToken, at, {"`:` after the list", "`,`"}))
            d->withHelp(Diag::HelpWrite, {c->ID()->getText() + "(" + std::string(sources_.text(range(exprs[0]))) + ": …)"},
                        {FixIt{at, ":"}});
          return std::make_unique<QuantifierExpr>(r, static_cast<QuantifierKind>(q - kQuantifiers.begin()),
                                                  name(varName->ID()), buildExpr(binding->expr(1)), buildExpr(exprs[1]));
        }
        return std::make_unique<CallExpr>(r, name(c->ID()), buildArgs(exprs));
      }
      // any(x in L: body): the binding must be `name in list`, and nothing may follow the body.
      static const std::vector<std::string> kWords = {"any", "all", "count", "sum", "min", "max"};
      std::string word = c->ID()->getText();
      auto it = std::find(kWords.begin(), kWords.end(), word);
      if (it == kWords.end()) {
        static const std::map<std::string, std::string> kSynonyms = {
            {"len", "count"}, {"exists", "any"}, {"some", "any"}, {"every", "all"}, {"forall", "all"},
            {"total", "sum"}, {"minimum", "min"}, {"maximum", "max"}, {"length", "count"}, {"size", "count"}};
        std::string meant = kSynonyms.count(word) ? kSynonyms.at(word) : closestMatch(word, kWords);
        Diagnostic* d = unit_.report(Diag::UnknownQuantifier, range(c->ID()), {word, suggestion(word, kWords)});
        if (d && !meant.empty()) d->withHelp(Diag::HelpWrite, {meant}, {FixIt{range(c->ID()), meant}});
        if (meant.empty()) return std::make_unique<ErrorExpr>(r);
        it = std::find(kWords.begin(), kWords.end(), meant);
        // Read as meant below, so that the body is still checked (one error).
        auto* b = dynamic_cast<P::InExprContext*>(exprs[0]);
        auto* v = b ? dynamic_cast<P::PrimaryExprContext*>(b->expr(0)) : nullptr;
        auto* vn = v ? dynamic_cast<P::NamePrimaryContext*>(v->primary()) : nullptr;
        if (vn == nullptr || b->NOT() != nullptr || exprs.size() > 2) return std::make_unique<ErrorExpr>(r);
        return std::make_unique<QuantifierExpr>(r, static_cast<QuantifierKind>(it - kWords.begin()), name(vn->ID()),
                                                buildExpr(b->expr(1)), buildExpr(c->body));
      }
      auto* binding = dynamic_cast<P::InExprContext*>(exprs[0]);
      auto* var = binding ? dynamic_cast<P::PrimaryExprContext*>(binding->expr(0)) : nullptr;
      auto* varName = var ? dynamic_cast<P::NamePrimaryContext*>(var->primary()) : nullptr;
      if (varName == nullptr || binding->NOT() != nullptr) {
        unit_.report(Diag::ExpectedToken, range(exprs[0]),
                     {"`name in list` before `:`", "`" + std::string(sources_.text(range(exprs[0]))) + "`"});
        return std::make_unique<ErrorExpr>(r);
      }
      if (exprs.size() > 2) {
        unit_.report(Diag::UnexpectedToken, range(exprs[2]), {"`" + exprs[2]->getText() + "`", " after the quantifier's body"});
        return std::make_unique<ErrorExpr>(r);
      }
      auto q = static_cast<QuantifierKind>(it - kWords.begin());
      return std::make_unique<QuantifierExpr>(r, q, name(varName->ID()), buildExpr(binding->expr(1)), buildExpr(c->body));
    }
    return std::make_unique<ErrorExpr>(r);
  }

  const SourceManager& sources_;
  ParseUnit& unit_;
  DiagnosticSink& sink_;
  int depth_ = 0;
  bool depthReported_ = false;
};

}  // namespace

std::unique_ptr<Module> parseModule(const SourceManager& sources, uint32_t file,
                                    DiagnosticSink& sink) {
  auto module = std::make_unique<Module>();
  module->file = file;
  const std::string& text = sources.file(file).text;
  if (size_t bad = firstInvalidUtf8(text); bad != std::string::npos) {
    char hex[3];
    std::snprintf(hex, sizeof hex, "%02X", static_cast<unsigned char>(text[bad]));
    sink.report(Diag::InvalidUtf8, {file, static_cast<uint32_t>(bad), static_cast<uint32_t>(bad + 1)},
                {hex});
    return module;
  }
  try {
    ParseUnit unit(sources, file, 0, text, sink);
    Builder builder(sources, unit, sink);
    // A declaration with a lexical or syntax error is not built; the others are, and are
    // checked, so that the rest of the file still gets its name and type errors. The broken
    // declaration's name is kept, so that its uses are not reported as unknown.
    while (unit.nextChunk(/*split=*/true)) {
      if (!unit.chunkClean()) {
        module->brokenNames.push_back(unit.chunkName());
        continue;
      }
      size_t before = unit.syntaxErrors();
      auto* tree = unit.parseFile();
      if (unit.syntaxErrors() == before)
        builder.buildFile(tree, *module);
      else
        module->brokenNames.push_back(unit.chunkName());
    }
  } catch (const std::exception& e) {
    // ANTLR should not throw with the error listener installed; if it does, the analyst
    // still gets a positioned error rather than a crash.
    sink.report(Diag::UnexpectedToken, {file, 0, 0}, {"input", std::string(": ") + e.what()});
  }
  return module;
}

}  // namespace daliz
