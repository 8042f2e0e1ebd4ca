// Typed AST → Program. Registers are allocated monotonically per profile (a profile needs
// tens of them), so each register holds one type for the whole function, which keeps the
// verifier's type tracking exact.
#include "compiler/codegen/codegen.h"

#include "vm/limits.h"

#include <xxhash.h>

#include <algorithm>
#include <map>
#include <stdexcept>

#include "compiler/codegen/guard.h"
#include "compiler/codegen/program_tables.h"
#include "vm/value/hs_code.h"

namespace daliz {
namespace {

enum class RegClass { Int, Dec, Str, Rec, List };

RegClass regClass(const Type* t) {
  switch (t->kind) {
    case TypeKind::Decimal:
    case TypeKind::Money:
      return RegClass::Dec;
    case TypeKind::String:
    case TypeKind::Code:
      return RegClass::Str;
    case TypeKind::Record:
      return RegClass::Rec;
    case TypeKind::List:
      return RegClass::List;
    default:
      return RegClass::Int;
  }
}

class FunctionBuilder {
 public:
  FunctionBuilder(ProgramTables& tables, Function& out) : tables_(tables), out_(out) {}

  uint16_t newReg() {
    if (next_ == UINT16_MAX) throw std::length_error("it would need more than 65535 registers");
    return next_++;
  }
  size_t emit(Op op, uint16_t a = 0, uint16_t b = 0, uint16_t c = 0) {
    if (out_.code.size() >= limits::kProfileCode)
      throw std::length_error("its code would have more than " +
                              std::to_string(limits::kProfileCode) +
                              " instructions (ProfileCode in docs/limits.md)");
    out_.code.push_back({static_cast<uint16_t>(op), a, b, c});
    return out_.code.size() - 1;
  }
  uint16_t here() const { return static_cast<uint16_t>(out_.code.size()); }
  void patch(size_t at) { out_.code[at].c = here(); }
  void bind(const Local* l, uint16_t reg) { locals_[l] = reg; }
  // The quantifier whose loop visits only the goods items the profile index matched
  // (FORPREP_G/LOOP_G): the one the profile's some-item guard was proved from.
  void guardedLoop(const QuantifierExpr* q) { guardedLoop_ = q; }
  void unbind(const Local* l) { locals_.erase(l); }
  uint16_t registers() const { return next_; }

  // Returns a register holding the value of `e`; it may be a local's register or R0,
  // which callers only read.
  uint16_t compile(const Expr& e) {
    switch (e.kind) {
      case ExprKind::IntLit: {
        int64_t v = static_cast<const IntLit&>(e).value;
        if (regClass(e.type) == RegClass::Dec) return loadDec(Decimal::fromInt(v).units);
        return loadInt(v);
      }
      case ExprKind::DecimalLit:
      case ExprKind::PercentLit:
        return loadDec(static_cast<const DecimalLit&>(e).value.units);
      case ExprKind::StringLit: {
        auto& s = static_cast<const StringLit&>(e);
        if (regClass(e.type) == RegClass::Int) return loadInt(static_cast<int64_t>(s.encoded));
        return loadStr(s.value);
      }
      case ExprKind::DateLit:
        return loadInt(static_cast<const DateLit&>(e).value.days);
      case ExprKind::BoolLit:
        return loadInt(static_cast<const BoolLit&>(e).value ? 1 : 0);
      case ExprKind::Declaration:
        return 0;
      case ExprKind::Name: {
        auto& n = static_cast<const NameExpr&>(e);
        if (n.ref == NameRef::EnumValue) return loadInt(n.enumValue);
        if (n.ref == NameRef::Local) return locals_.at(n.local);
        throw std::logic_error("set used as a value");
      }
      case ExprKind::Field:
        return compileField(static_cast<const FieldExpr&>(e));
      case ExprKind::MethodCall:
        return compileMethod(static_cast<const MethodCallExpr&>(e));
      case ExprKind::Call:
        return compileCall(static_cast<const CallExpr&>(e));
      case ExprKind::Lookup:
        return compileLookup(static_cast<const LookupExpr&>(e));
      case ExprKind::Quantifier:
        return compileQuantifier(static_cast<const QuantifierExpr&>(e));
      case ExprKind::Neg: {
        uint16_t v = compile(*static_cast<const UnaryExpr&>(e).operand);
        uint16_t r = newReg();
        emit(regClass(e.type) == RegClass::Dec ? Op::NEG_D : Op::NEG_I, r, v);
        return r;
      }
      case ExprKind::Not: {
        uint16_t v = compile(*static_cast<const UnaryExpr&>(e).operand);
        uint16_t r = newReg();
        emit(Op::NOT, r, v);
        return r;
      }
      case ExprKind::Binary:
        return compileBinary(static_cast<const BinaryExpr&>(e));
      case ExprKind::In:
        return compileIn(static_cast<const InExpr&>(e));
      case ExprKind::Is: {
        auto& is = static_cast<const IsExpr&>(e);
        uint16_t v = compile(*is.operand);
        uint16_t r = newReg();
        emit(Op::ISMISSING, r, v);
        if (is.missing) return r;
        uint16_t n = newReg();
        emit(Op::NOT, n, r);
        return n;
      }
      default:
        throw std::logic_error("expression kind not lowered (checker let an error through)");
    }
  }

  // A value as a decimal register: ints are converted.
  uint16_t asDec(const Expr& e) {
    uint16_t v = compile(e);
    if (regClass(e.type) == RegClass::Dec) return v;
    uint16_t r = newReg();
    emit(Op::I2D, r, v);
    return r;
  }

 private:
  uint16_t loadInt(int64_t v) { return load(Constant{ConstKind::Int, v, 0, {}}); }
  uint16_t loadDec(__int128 units) { return load(Constant{ConstKind::Decimal, 0, units, {}}); }
  uint16_t loadStr(const std::string& s) { return load(Constant{ConstKind::String, 0, 0, s}); }
  uint16_t load(const Constant& k) {
    uint16_t r = newReg();
    emit(Op::LOADK, r, tables_.constant(k));
    return r;
  }

  uint16_t compileField(const FieldExpr& f) {
    uint16_t base = compile(*f.base);
    uint16_t r = newReg();
    switch (f.base->type->kind) {
      case TypeKind::Date:
        emit(Op::DATEPART, r, base, static_cast<uint16_t>(f.fieldIndex));
        break;
      case TypeKind::Hs:
        emit(Op::HSPREFIX, r, base, static_cast<uint16_t>(2 + 2 * f.fieldIndex));
        break;
      default:
        emit(Op::GETF, r, base, static_cast<uint16_t>(f.fieldIndex));
        break;
    }
    return r;
  }

  uint16_t compileMethod(const MethodCallExpr& m) {
    uint16_t base = compile(*m.base);
    uint16_t r = newReg();
    const std::string& name = m.method.text;
    if (name == "lower" || name == "upper") {
      emit(name == "lower" ? Op::LOWER : Op::UPPER, r, base);
    } else if (name == "matches") {
      emit(Op::MATCH, r, base, tables_.regex(static_cast<const StringLit&>(*m.args[0]).value));
    } else {
      uint16_t arg = compile(*m.args[0]);
      Op op = name == "contains" ? Op::CONTAINS : name == "starts_with" ? Op::STARTS : Op::ENDS;
      emit(op, r, base, arg);
    }
    return r;
  }

  uint16_t compileCall(const CallExpr& call) {
    switch (call.builtin) {
      case Builtin::Len: {
        uint16_t v = compile(*call.args[0]);
        uint16_t r = newReg();
        emit(call.args[0]->type->kind == TypeKind::List ? Op::LEN_L : Op::LEN_S, r, v);
        return r;
      }
      case Builtin::Money:
      case Builtin::Decimal:
        return asDec(*call.args[0]);
      case Builtin::None:
        break;
    }
    // Indicators are inlined: the arguments are computed first, then the body runs with
    // the parameters bound to them. No recursion (checked), so this terminates.
    const IndicatorDecl* ind = call.indicator;
    std::vector<uint16_t> args;
    for (size_t i = 0; i < call.args.size(); ++i) {
      bool wantDec = regClass(ind->params[i].type) == RegClass::Dec;
      args.push_back(wantDec ? asDec(*call.args[i]) : compile(*call.args[i]));
    }
    std::map<const Local*, uint16_t> saved = locals_;
    for (size_t i = 0; i < args.size(); ++i) bind(ind->locals[i].get(), args[i]);
    uint16_t r =
        regClass(ind->resultType) == RegClass::Dec ? asDec(*ind->body) : compile(*ind->body);
    locals_ = std::move(saved);
    return r;
  }

  uint16_t compileLookup(const LookupExpr& l) {
    std::vector<uint16_t> keys;
    for (auto& k : l.keys) keys.push_back(compile(*k));
    uint16_t first = newReg();
    for (size_t i = 1; i < keys.size(); ++i) newReg();
    for (size_t i = 0; i < keys.size(); ++i)
      emit(Op::MOVE, static_cast<uint16_t>(first + i), keys[i]);
    uint16_t r = newReg();
    emit(Op::LOOKUP, r, first, tables_.tableIndex(l.decl));
    return r;
  }

  uint16_t compileQuantifier(const QuantifierExpr& q) {
    uint16_t list = compile(*q.list);
    uint16_t acc = newReg();
    RegClass bodyClass = q.body->type ? regClass(q.body->type) : RegClass::Int;
    switch (q.quantifier) {
      case QuantifierKind::Any:
        emit(Op::LOADK, acc, tables_.constant({ConstKind::Int, 0, 0, {}}));
        break;
      case QuantifierKind::All:
        emit(Op::LOADK, acc, tables_.constant({ConstKind::Int, 1, 0, {}}));
        break;
      case QuantifierKind::Count:
        emit(Op::LOADK, acc, tables_.constant({ConstKind::Int, 0, 0, {}}));
        break;
      case QuantifierKind::Sum:
        if (bodyClass == RegClass::Dec)
          emit(Op::LOADK, acc, tables_.constant({ConstKind::Decimal, 0, 0, {}}));
        else
          emit(Op::LOADK, acc, tables_.constant({ConstKind::Int, 0, 0, {}}));
        break;
      case QuantifierKind::Min:
      case QuantifierKind::Max:
        emit(Op::LOADMISS, acc, bodyClass == RegClass::Dec ? 1 : 0);
        break;
    }
    uint16_t counter = newReg();
    newReg();  // counter + 1: the limit
    // The guarded loop may skip the items that fail the guard: their body is not true, which
    // changes neither `any` nor `count` as far as the profile firing is concerned.
    const bool guarded = &q == guardedLoop_;
    size_t prep = emit(guarded ? Op::FORPREP_G : Op::FORPREP, counter, list, 0);
    uint16_t loopStart = here();
    uint16_t var = newReg();
    emit(Op::GETITEM, var, list, counter);
    bind(q.local, var);
    uint16_t body = compile(*q.body);
    unbind(q.local);
    std::vector<size_t> exits;
    switch (q.quantifier) {
      case QuantifierKind::Any:
        emit(Op::OR, acc, acc, body);
        exits.push_back(emit(Op::JMPIFTRUE, acc, 0, 0));  // true can no longer change
        break;
      case QuantifierKind::All:
        emit(Op::AND, acc, acc, body);
        exits.push_back(emit(Op::JMPIFFALSE, acc, 0, 0));
        break;
      case QuantifierKind::Count: {
        size_t skip = emit(Op::JMPNOTTRUE, body, 0, 0);
        emit(Op::ADD_I, acc, acc, loadInt(1));
        patch(skip);
        break;
      }
      case QuantifierKind::Sum:
        emit(bodyClass == RegClass::Dec ? Op::ACC_SUM_D : Op::ACC_SUM_I, acc, body);
        break;
      case QuantifierKind::Min:
        emit(bodyClass == RegClass::Dec ? Op::ACC_MIN_D : Op::ACC_MIN_I, acc, body);
        break;
      case QuantifierKind::Max:
        emit(bodyClass == RegClass::Dec ? Op::ACC_MAX_D : Op::ACC_MAX_I, acc, body);
        break;
    }
    emit(guarded ? Op::LOOP_G : Op::LOOP, counter, 0, loopStart);
    patch(prep);
    for (size_t x : exits) patch(x);
    return acc;
  }

  uint16_t compileBinary(const BinaryExpr& b) {
    if (b.op == BinaryOp::And || b.op == BinaryOp::Or) {
      // Short circuit: false and … is false, true or … is true, whatever the right side.
      uint16_t out = newReg();
      emit(Op::MOVE, out, compile(*b.lhs));
      size_t skip = emit(b.op == BinaryOp::And ? Op::JMPIFFALSE : Op::JMPIFTRUE, out, 0, 0);
      uint16_t r = compile(*b.rhs);
      emit(b.op == BinaryOp::And ? Op::AND : Op::OR, out, out, r);
      patch(skip);
      return out;
    }
    if (b.op == BinaryOp::Coalesce) {
      bool dec = regClass(b.type) == RegClass::Dec;
      uint16_t l = dec ? asDec(*b.lhs) : compile(*b.lhs);
      uint16_t r = dec ? asDec(*b.rhs) : compile(*b.rhs);
      uint16_t out = newReg();
      emit(Op::COALESCE, out, l, r);
      return out;
    }
    const Type* lt = b.lhs->type;
    const Type* rt = b.rhs->type;
    bool comparison = b.op >= BinaryOp::Eq;
    if (comparison) {
      RegClass cls = regClass(lt) == RegClass::Dec || regClass(rt) == RegClass::Dec ? RegClass::Dec
                                                                                    : regClass(lt);
      uint16_t l = cls == RegClass::Dec ? asDec(*b.lhs) : compile(*b.lhs);
      uint16_t r = cls == RegClass::Dec ? asDec(*b.rhs) : compile(*b.rhs);
      Op eq = cls == RegClass::Dec ? Op::EQ_D : cls == RegClass::Str ? Op::EQ_S : Op::EQ_I;
      Op lt_ = cls == RegClass::Dec ? Op::LT_D : Op::LT_I;
      Op le = cls == RegClass::Dec ? Op::LE_D : Op::LE_I;
      uint16_t out = newReg();
      switch (b.op) {
        case BinaryOp::Eq:
          emit(eq, out, l, r);
          break;
        case BinaryOp::Ne: {
          uint16_t t = newReg();
          emit(eq, t, l, r);
          emit(Op::NOT, out, t);
          break;
        }
        case BinaryOp::Lt:
          emit(lt_, out, l, r);
          break;
        case BinaryOp::Le:
          emit(le, out, l, r);
          break;
        case BinaryOp::Gt:
          emit(lt_, out, r, l);
          break;
        default:
          emit(le, out, r, l);
          break;
      }
      return out;
    }
    // Arithmetic.
    uint16_t out;
    TypeKind a = lt->kind, c = rt->kind;
    if (b.type->kind == TypeKind::Date) {
      bool dateLeft = a == TypeKind::Date;
      uint16_t date = compile(dateLeft ? *b.lhs : *b.rhs);
      uint16_t days = compile(dateLeft ? *b.rhs : *b.lhs);
      if (b.op == BinaryOp::Sub) {
        uint16_t n = newReg();
        emit(Op::NEG_I, n, days);
        days = n;
      }
      out = newReg();
      emit(Op::ADD_DAYS, out, date, days);
      return out;
    }
    if (regClass(b.type) == RegClass::Int) {  // int op int, date - date
      uint16_t l = compile(*b.lhs), r = compile(*b.rhs);
      out = newReg();
      emit(b.op == BinaryOp::Add   ? Op::ADD_I
           : b.op == BinaryOp::Sub ? Op::SUB_I
                                   : Op::MUL_I,
           out, l, r);
      return out;
    }
    (void)a;
    (void)c;
    uint16_t l = asDec(*b.lhs), r = asDec(*b.rhs);
    out = newReg();
    Op op = b.op == BinaryOp::Add   ? Op::ADD_D
            : b.op == BinaryOp::Sub ? Op::SUB_D
            : b.op == BinaryOp::Mul ? Op::MUL_D
                                    : Op::DIV_D;
    emit(op, out, l, r);
    return out;
  }

  uint16_t compileIn(const InExpr& in) {
    uint16_t element = compile(*in.element);
    uint16_t set;
    if (in.set->kind == ExprKind::Name)
      set = tables_.namedSet(static_cast<const NameExpr&>(*in.set).set);
    else
      set = tables_.inlineSet(static_cast<const SetLitExpr&>(*in.set));
    const SetSpec& spec = tables_.set(set);
    uint16_t out = newReg();
    Op op = spec.kind == SetKind::Hs       ? Op::INSET_HS
            : spec.kind == SetKind::String ? Op::INSET_S
                                           : Op::INSET_I;
    emit(op, out, element, set);
    if (!in.negated) return out;
    uint16_t n = newReg();
    emit(Op::NOT, n, out);
    return n;
  }

  ProgramTables& tables_;
  Function& out_;
  uint16_t next_ = 2;  // R0 declaration, R1 item
  std::map<const Local*, uint16_t> locals_;
  const QuantifierExpr* guardedLoop_ = nullptr;
};

RenderKind renderKind(const Type* t) {
  switch (t->kind) {
    case TypeKind::Decimal:
      return RenderKind::Decimal;
    case TypeKind::Money:
      return RenderKind::Money;
    case TypeKind::Date:
      return RenderKind::Date;
    case TypeKind::String:
    case TypeKind::Code:
      return RenderKind::String;
    case TypeKind::Hs:
      return RenderKind::Hs;
    case TypeKind::Country:
      return RenderKind::Country;
    case TypeKind::Currency:
      return RenderKind::Currency;
    case TypeKind::Enum:
      return RenderKind::Enum;
    case TypeKind::Bool:
      return RenderKind::Bool;
    default:
      return RenderKind::Int;
  }
}

// The reason's text and `{expr}` parts, appended to the reason buffer by RTEXT and RVAL.
void emitReason(FunctionBuilder& f, ProgramTables& tables, const std::vector<ReasonPart>& reason) {
  for (const ReasonPart& part : reason) {
    if (!part.expr) {
      f.emit(Op::RTEXT, 0, tables.constant({ConstKind::String, 0, 0, part.text}));
      continue;
    }
    uint16_t v = f.compile(*part.expr);
    const Type* t = part.expr->type;
    uint16_t enumIndex = t->kind == TypeKind::Enum ? tables.enumIndex(t->enumDecl) : 0;
    f.emit(Op::RVAL, v, static_cast<uint16_t>(renderKind(t)), enumIndex);
  }
}

// A categorisation rule, shaped like a profile's code with R0 the participant: the condition
// (none for the default), the reason, HIT, RET.
CategoryRuleSpec lowerRule(const CategoryRule& r, const Local* participant, ProgramTables& tables) {
  CategoryRuleSpec spec;
  spec.id = r.id.text;
  spec.category = static_cast<uint8_t>(r.level);
  FunctionBuilder f(tables, spec);
  f.bind(participant, 0);
  std::vector<size_t> exits;
  if (r.when) exits.push_back(f.emit(Op::JMPNOTTRUE, f.compile(*r.when), 0, 0));
  emitReason(f, tables, r.reason);
  f.emit(Op::HIT);
  for (size_t x : exits) f.patch(x);
  f.emit(Op::RET);
  spec.registers = f.registers();
  return spec;
}

CategorizationSpec lowerCategorization(const CategorizeDecl& k, ProgramTables& tables) {
  CategorizationSpec spec;
  spec.id = k.name.text;
  spec.title = k.title;
  spec.record = static_cast<uint32_t>(k.record->index);
  spec.idField = static_cast<uint32_t>(k.record->findField("id"));
  for (const CategoryRule& r : k.rules) spec.rules.push_back(lowerRule(r, k.participant, tables));
  spec.fallback = lowerRule(*k.fallback, k.participant, tables);
  return spec;
}

// The draw of `sample p%`: SAMPLE on the declaration id (and item no), or with `by … per …`,
// SKEY for each key, SKEYPER for the period of `registered`, SAMPLEBY. Returns the exit jump.
size_t emitSample(FunctionBuilder& f, ProgramTables& tables, const ProfileDecl& p,
                  uint32_t registeredField) {
  if (p.sampleBy.empty()) return f.emit(Op::SAMPLE, 0, 0, 0);
  for (const ExprPtr& key : p.sampleBy) {
    uint16_t v = f.compile(*key);
    const Type* t = key->type;
    uint16_t enumIndex = t->kind == TypeKind::Enum ? tables.enumIndex(t->enumDecl) : 0;
    // Money in its exact form, as decimals: a reason's 2 digits would merge distinct amounts.
    RenderKind kind = t->kind == TypeKind::Money ? RenderKind::Decimal : renderKind(t);
    f.emit(Op::SKEY, v, static_cast<uint16_t>(kind), enumIndex);
  }
  if (p.samplePeriod) {
    uint16_t date = f.newReg();
    f.emit(Op::GETF, date, 0, static_cast<uint16_t>(registeredField));
    f.emit(Op::SKEYPER, date, *p.samplePeriod);
  }
  return f.emit(Op::SAMPLEBY, 0, 0, 0);
}

ProfileSpec lowerProfile(const ProfileDecl& p, ProgramTables& tables,
                         const std::vector<MeasureDecl*>& measures, uint32_t itemsField,
                         uint32_t registeredField) {
  ProfileSpec spec;
  spec.id = p.name.text;
  spec.title = p.title;
  spec.area = p.area;
  spec.level = static_cast<uint8_t>(p.level);
  spec.status = static_cast<uint8_t>(p.status);
  if (p.valid) {
    spec.hasValid = true;
    spec.validFrom = p.valid->first.days;
    spec.validTo = p.valid->second.days;
  }
  spec.itemScope = p.itemVar.has_value();
  spec.sampleBasisPoints = p.sampleBasisPoints;
  for (const MeasureDecl* m : p.measureDecls) {
    auto it = std::find(measures.begin(), measures.end(), m);
    spec.measures.push_back(static_cast<uint32_t>(it - measures.begin()));
    spec.corridor = std::max(spec.corridor, static_cast<uint8_t>(m->corridor));
  }
  // Most severe corridor first, then by name (measures are indexed in name order).
  std::sort(spec.measures.begin(), spec.measures.end(), [&](uint32_t a, uint32_t b) {
    return std::make_pair(-static_cast<int>(measures[a]->corridor), a) <
           std::make_pair(-static_cast<int>(measures[b]->corridor), b);
  });

  for (const DocumentRequest& r : p.requests) {
    DocumentRequestSpec request;
    auto it = std::find(measures.begin(), measures.end(), r.measure);
    request.measure = static_cast<uint32_t>(it - measures.begin());
    for (const std::string& code : r.codes) request.documents.push_back(tables.documentKind(code));
    std::sort(request.documents.begin(), request.documents.end());
    request.deadlineDays = r.deadlineDays;
    spec.requests.push_back(std::move(request));
  }
  std::sort(spec.requests.begin(), spec.requests.end(),
            [](const auto& a, const auto& b) { return a.measure < b.measure; });

  const QuantifierExpr* guardedQuantifier = nullptr;
  spec.guard = findGuard(p, tables, itemsField, &guardedQuantifier);
  FunctionBuilder f(tables, spec);
  f.guardedLoop(guardedQuantifier);
  if (p.itemLocal) f.bind(p.itemLocal, 1);
  for (const LetBinding& let : p.lets) f.bind(let.local, f.compile(*let.value));
  uint16_t cond = f.compile(*p.when);
  std::vector<size_t> exits;
  exits.push_back(f.emit(Op::JMPNOTTRUE, cond, 0, 0));
  if (p.sampleBasisPoints < 10000) exits.push_back(emitSample(f, tables, p, registeredField));
  if (p.hasReason) emitReason(f, tables, p.reason);
  if (!p.hasReason)
    f.emit(Op::RTEXT, 0,
           tables.constant({ConstKind::String, 0, 0, p.title.empty() ? p.name.text : p.title}));
  for (const NoticeText& n : p.notice) {
    spec.noticeLanguages |= static_cast<uint8_t>(1u << n.languageIndex);
    f.emit(Op::TEXT, 0, static_cast<uint16_t>(1 + n.languageIndex));
    emitReason(f, tables, n.parts);
  }
  f.emit(Op::HIT);
  for (size_t x : exits) f.patch(x);
  f.emit(Op::RET);
  spec.registers = f.registers();
  return spec;
}

}  // namespace

Program generate(const Compilation& c, const CodegenOptions& options) {
  Program program;
  program.seed = options.seed;
  program.includeDrafts = options.includeDrafts;
  program.stdlibVersion = kStdlibVersion;
  ProgramTables tables(c, program);
  tables.lowerSchema();
  for (const MeasureDecl* m : c.measures)
    program.measures.push_back({m->name.text, m->code.value_or(""), m->description,
                                static_cast<CorridorCode>(m->corridor), m->takesDocuments});
  tables.lowerDocumentKinds();
  tables.lowerNamedSets();
  tables.lowerTables();
  for (const ProfileDecl* p : c.profiles) {
    if (p->status == ProfileStatus::Draft && !options.includeDrafts) continue;
    try {
      program.profiles.push_back(lowerProfile(*p, tables, c.measures, program.schema.itemsField,
                                              program.schema.registeredField));
    } catch (const std::length_error& e) {
      throw CodeLimitError(p->name.text, e.what());
    }
  }
  if (c.categorize && c.categorize->record && c.categorize->fallback)
    program.categorization = lowerCategorization(*c.categorize, tables);
  for (const PlanDecl* plan : c.plans) {
    PlanSpec spec;
    spec.id = plan->name.text;
    spec.office = plan->office ? plan->office->text : "";
    for (const PlanLine& line : plan->lines) {
      CorridorPlanSpec& k = spec.corridors[line.corridorCode];
      k.given = true;
      k.lowBasisPoints = line.low ? toBasisPoints(*line.low) : 0;
      k.highBasisPoints = line.high ? toBasisPoints(*line.high) : 0;
      k.randomBasisPoints = line.random ? toBasisPoints(*line.random) : 0;
    }
    program.plans.push_back(std::move(spec));
  }
  std::sort(program.plans.begin(), program.plans.end(),
            [](const PlanSpec& a, const PlanSpec& b) { return a.office < b.office; });
  return program;
}

}  // namespace daliz
