#include "vm/jit/translate.h"

#include <llvm/IR/BasicBlock.h>
#include <llvm/IR/Function.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cstddef>
#include <map>

#include "vm/exec/compiled_code.h"
#include "vm/jit/runtime_symbols.h"
#include "vm/value/decimal.h"

namespace daliz::jit {
namespace {

// The memory layouts compiled code reads: value cells (vm/exec/value.h), lists, the run frame.
static_assert(sizeof(Value) == 32 && alignof(Value) == 16);
static_assert(offsetof(Value, missing) == 16 && offsetof(Str, size) == 8);
static_assert(offsetof(ListValue, size) == 0 && offsetof(ListValue, items) == 8);
constexpr uint64_t kCell = sizeof(Value);

// The cells compiled code reads instead of a missing record or list: a missing value (GETF of a
// missing record gives missing) and an empty list.
const Value kMissingCell = Value::none();
const ListValue kEmptyList = {0, nullptr};

// A register as five stack slots, one per shape its cell can hold: SROA and mem2reg turn the
// slots a function uses into SSA values and drop the rest, so no 32-byte cell exists in memory
// unless a runtime function needs one.
struct Slots {
  llvm::AllocaInst *i, *d, *p, *n, *m;  // int/bool/date/hs…; decimal; pointer; string size; missing
};

class Translator {
 public:
  Translator(llvm::Module& module, const LoadedProgram& program)
      : m_(module), lp_(program), cx_(module.getContext()), b_(cx_) {
    i1_ = b_.getInt1Ty();
    i8_ = b_.getInt8Ty();
    i32_ = b_.getInt32Ty();
    i64_ = b_.getInt64Ty();
    i128_ = b_.getInt128Ty();
    ptr_ = b_.getPtrTy();
    void_ = b_.getVoidTy();
    declareRuntime();
  }

  llvm::Function* translate(const std::string& name, const std::vector<Insn>& code,
                            uint16_t registers, std::string& error);

 private:
  void declareRuntime();
  llvm::Value* call(const char* name, std::initializer_list<llvm::Value*> args) {
    return b_.CreateCall(runtime_.at(name),
                         llvm::ArrayRef<llvm::Value*>(args.begin(), args.size()));
  }
  llvm::Value* i32c(int64_t v) { return b_.getInt32(static_cast<uint32_t>(v)); }
  llvm::Value* i64c(int64_t v) { return b_.getInt64(static_cast<uint64_t>(v)); }
  llvm::Value* i128c(__int128 v) {
    return llvm::ConstantInt::get(
        i128_, llvm::APInt(128, {static_cast<uint64_t>(v), static_cast<uint64_t>(v >> 64)}));
  }
  llvm::Value* address(const void* p) {
    return llvm::ConstantExpr::getIntToPtr(b_.getInt64(reinterpret_cast<uintptr_t>(p)), ptr_);
  }
  llvm::Value* at(llvm::Value* base, uint64_t offset) {
    return b_.CreateConstInBoundsGEP1_64(i8_, base, offset);
  }
  llvm::Value* frameField(size_t offset, llvm::Type* t) {
    return b_.CreateLoad(t, at(frame_, offset));
  }

  // Register slots.
  llvm::Value* I(uint16_t r) { return b_.CreateLoad(i64_, regs_[r].i); }
  llvm::Value* D(uint16_t r) { return b_.CreateLoad(i128_, regs_[r].d); }
  llvm::Value* P(uint16_t r) { return b_.CreateLoad(ptr_, regs_[r].p); }
  llvm::Value* N(uint16_t r) { return b_.CreateLoad(i32_, regs_[r].n); }
  llvm::Value* M(uint16_t r) { return b_.CreateLoad(i1_, regs_[r].m); }
  llvm::Value* present(uint16_t r) { return b_.CreateNot(M(r)); }
  void setM(uint16_t r, llvm::Value* missing) { b_.CreateStore(missing, regs_[r].m); }
  void setInt(uint16_t r, llvm::Value* v, llvm::Value* missing) {
    b_.CreateStore(v, regs_[r].i);
    setM(r, missing);
  }
  void setBool(uint16_t r, llvm::Value* v, llvm::Value* missing) {
    setInt(r, b_.CreateZExt(v, i64_), missing);
  }
  void setDec(uint16_t r, llvm::Value* v, llvm::Value* missing) {
    b_.CreateStore(v, regs_[r].d);
    setM(r, missing);
  }
  void setPtr(uint16_t r, llvm::Value* p, llvm::Value* missing) {
    b_.CreateStore(p, regs_[r].p);
    setM(r, missing);
  }
  void setMissing(uint16_t r) {
    b_.CreateStore(i64c(0), regs_[r].i);
    b_.CreateStore(i128c(0), regs_[r].d);
    b_.CreateStore(llvm::ConstantPointerNull::get(b_.getPtrTy()), regs_[r].p);
    b_.CreateStore(i32c(0), regs_[r].n);
    setM(r, b_.getTrue());
  }
  void copy(uint16_t to, uint16_t from) {
    const Slots &t = regs_[to], &f = regs_[from];
    for (auto [dst, src, type] : {std::tuple{t.i, f.i, i64_},
                                  {t.d, f.d, i128_},
                                  {t.p, f.p, ptr_},
                                  {t.n, f.n, i32_},
                                  {t.m, f.m, i1_}})
      b_.CreateStore(b_.CreateLoad(type, src), dst);
  }
  // The register takes the value of a cell in memory, every shape of it (the unused ones vanish).
  void loadCell(uint16_t r, llvm::Value* cell) {
    b_.CreateStore(b_.CreateLoad(i64_, cell), regs_[r].i);
    b_.CreateStore(b_.CreateAlignedLoad(i128_, cell, llvm::Align(16)), regs_[r].d);
    b_.CreateStore(b_.CreateLoad(ptr_, cell), regs_[r].p);
    b_.CreateStore(b_.CreateLoad(i32_, at(cell, 8)), regs_[r].n);
    setM(r, b_.CreateICmpNE(b_.CreateLoad(i8_, at(cell, 16)), b_.getInt8(0)));
  }
  // A cell in memory holding register r in the shape `kind` (for the runtime functions).
  enum class Shape { Int, Dec, Str };
  void storeCell(llvm::Value* cell, uint16_t r, Shape shape) {
    switch (shape) {
      case Shape::Int:
        b_.CreateStore(I(r), cell);
        break;
      case Shape::Dec:
        b_.CreateAlignedStore(D(r), cell, llvm::Align(16));
        break;
      case Shape::Str:
        b_.CreateStore(P(r), cell);
        b_.CreateStore(N(r), at(cell, 8));
        break;
    }
    b_.CreateStore(b_.CreateZExt(M(r), i8_), at(cell, 16));
  }
  llvm::AllocaInst* cells(unsigned count) {
    llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
    auto* a = entry.CreateAlloca(llvm::ArrayType::get(i8_, kCell * count));
    a->setAlignment(llvm::Align(16));
    return a;
  }
  // R[A] of an RVAL or SKEY in a cell, in the shape its RenderKind (operand B) reads.
  llvm::Value* renderedCell(const Insn& in) {
    auto kind = static_cast<RenderKind>(in.b);
    Shape shape = kind == RenderKind::Decimal || kind == RenderKind::Money ? Shape::Dec
                  : kind == RenderKind::String                             ? Shape::Str
                                                                           : Shape::Int;
    llvm::Value* v = cells(1);
    storeCell(v, in.a, shape);
    return v;
  }

  // A stack slot for a runtime function's result, zero until written: a slot read on a path
  // that did not write it (a missing operand) must hold a value, not poison, since Kleene logic
  // combines it with `and`/`or`, which poison would make undefined.
  llvm::AllocaInst* scratch(llvm::Type* t) {
    llvm::BasicBlock& entry = fn_->getEntryBlock();
    auto* slot = llvm::IRBuilder<>(&entry, entry.begin()).CreateAlloca(t);
    llvm::IRBuilder<>(entry.getTerminator()).CreateStore(llvm::Constant::getNullValue(t), slot);
    return slot;
  }

  // Runs `then` only when `cond` holds (a runtime function must not see a missing operand).
  template <class F>
  void when(llvm::Value* cond, F then) {
    auto* yes = llvm::BasicBlock::Create(cx_, "", fn_);
    auto* next = llvm::BasicBlock::Create(cx_, "", fn_);
    b_.CreateCondBr(cond, yes, next);
    b_.SetInsertPoint(yes);
    then();
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
  }
  // The value of `makeCall()` (a runtime call) when `cond` holds, else zero: a runtime
  // function never sees a missing operand.
  template <class F>
  llvm::Value* callIf(llvm::Value* cond, llvm::Type* type, F makeCall) {
    llvm::AllocaInst* slot = scratch(type);  // zero until written
    when(cond, [&] { b_.CreateStore(makeCall(), slot); });
    return b_.CreateLoad(type, slot);
  }
  // A runtime call answering yes (non-zero) or no, as an i1, made when `cond` holds.
  llvm::Value* testIf(llvm::Value* cond, const char* name,
                      std::initializer_list<llvm::Value*> args) {
    return callIf(cond, i1_, [&] { return b_.CreateICmpNE(call(name, args), i32c(0)); });
  }
  llvm::BasicBlock* block(size_t pc) { return blocks_.at(pc); }
  // After a branch at `pc`: to `target` when `cond`, else on to the next instruction.
  void branch(llvm::Value* cond, size_t target, size_t pc) {
    b_.CreateCondBr(cond, block(target), block(pc + 1));
  }
  // The back edge of a loop from `pc` to `target`: charges the body to the budget first.
  void backEdge(size_t target, size_t pc) {
    llvm::Value* slot = at(frame_, offsetof(RunFrame, left));
    llvm::Value* left =
        b_.CreateSub(b_.CreateLoad(i64_, slot), i64c(static_cast<int64_t>(pc + 1 - target)));
    b_.CreateStore(left, slot);
    b_.CreateCondBr(b_.CreateICmpSLT(left, i64c(0)), budgetSpent_, block(target));
  }

  void emit(const Insn& in, size_t pc);
  void emitIntArith(const Insn& in, llvm::Intrinsic::ID op);
  void emitDecimal(const Insn& in, DecimalOp op);
  void emitStringTest(const Insn& in, StringTest test);
  void emitCompare(const Insn& in, llvm::CmpInst::Predicate pred, bool decimal);
  void emitIntSet(const Insn& in);
  void emitExtreme(const Insn& in, bool decimal, bool min);
  void emitLoopHead(const Insn& in, size_t pc, bool guarded);
  void emitLoopTail(const Insn& in, size_t pc, bool guarded);

  llvm::Module& m_;
  const LoadedProgram& lp_;
  llvm::LLVMContext& cx_;
  llvm::IRBuilder<> b_;
  llvm::Type *i1_, *i8_, *i32_, *i64_, *i128_, *ptr_, *void_;
  std::map<std::string, llvm::FunctionCallee, std::less<>> runtime_;
  llvm::Function* fn_ = nullptr;
  llvm::Value *context_ = nullptr, *frame_ = nullptr, *matched_ = nullptr, *matchedCount_ = nullptr;
  llvm::AllocaInst* hit_ = nullptr;
  llvm::BasicBlock* budgetSpent_ = nullptr;
  std::vector<Slots> regs_;
  std::map<size_t, llvm::BasicBlock*> blocks_;
};

void Translator::declareRuntime() {
  auto type = [&](std::string_view t) -> llvm::Type* {
    return t == "void" ? void_ : t == "i32" ? i32_ : t == "i64" ? i64_ : ptr_;
  };
  auto declare = [&](std::string name, std::string_view types) {
    std::vector<llvm::Type*> all;
    for (size_t at = 0; at < types.size();) {
      size_t end = std::min(types.find(' ', at), types.size());
      all.push_back(type(types.substr(at, end - at)));
      at = end + 1;
    }
    auto* ft = llvm::FunctionType::get(all[0], llvm::ArrayRef(all).drop_front(), false);
    runtime_[name] = m_.getOrInsertFunction(name, ft);
    if (auto* f = m_.getFunction(name)) f->setDoesNotThrow();
  };
#define RT(name, types) declare("daliz_rt_" #name, types);
#include "vm/jit/runtime_symbols.def"
#undef RT
}

llvm::Function* Translator::translate(const std::string& name, const std::vector<Insn>& code,
                                      uint16_t registers, std::string& error) {
  auto* type = llvm::FunctionType::get(i32_, {ptr_, ptr_}, false);
  fn_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m_);
  fn_->setDoesNotThrow();
  context_ = fn_->getArg(0);
  frame_ = fn_->getArg(1);
  context_->setName("cx");
  frame_->setName("frame");
  // Not noalias: the frame lies inside the context, and runtime functions read both.
  for (unsigned k : {0u, 1u}) fn_->addParamAttr(k, llvm::Attribute::NonNull);
  auto* entry = llvm::BasicBlock::Create(cx_, "entry", fn_);
  b_.SetInsertPoint(entry);
  regs_.assign(std::max<uint16_t>(registers, 2), {});
  for (Slots& s : regs_)
    s = {b_.CreateAlloca(i64_), b_.CreateAlloca(i128_), b_.CreateAlloca(ptr_),
         b_.CreateAlloca(i32_), b_.CreateAlloca(i1_)};
  // Every register starts missing, every shape zero (no poison; the unread stores vanish).
  for (uint16_t r = 0; r < regs_.size(); ++r) setMissing(r);
  hit_ = b_.CreateAlloca(i1_);
  b_.CreateStore(b_.getFalse(), hit_);
  setPtr(0, frameField(offsetof(RunFrame, root), ptr_), b_.getFalse());
  llvm::Value* item = frameField(offsetof(RunFrame, item), ptr_);
  setPtr(1, item, b_.CreateIsNull(item));
  matched_ = frameField(offsetof(RunFrame, matched), ptr_);
  matchedCount_ = frameField(offsetof(RunFrame, matchedCount), i64_);

  // A block at every instruction that is a jump target or follows one that may branch.
  blocks_.clear();
  blocks_[0] = llvm::BasicBlock::Create(cx_, "pc0", fn_);
  for (size_t pc = 0; pc < code.size(); ++pc) {
    const Insn& in = code[pc];
    const OpInfo& info = opInfo(in.op);
    if (info.c == Role::Jump || info.c == Role::LoopBack || info.traits.ends) {
      for (size_t t : {size_t{in.c}, pc + 1})
        if (t <= code.size() && !blocks_.count(t))
          blocks_[t] = llvm::BasicBlock::Create(cx_, "pc" + std::to_string(t), fn_);
    }
  }
  budgetSpent_ = llvm::BasicBlock::Create(cx_, "budget_spent", fn_);
  b_.CreateBr(blocks_[0]);

  for (size_t pc = 0; pc < code.size(); ++pc) {
    if (auto it = blocks_.find(pc); it != blocks_.end()) {
      if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(it->second);
      b_.SetInsertPoint(it->second);
    } else if (b_.GetInsertBlock()->getTerminator()) {
      b_.SetInsertPoint(llvm::BasicBlock::Create(cx_, "", fn_));  // unreachable code
    }
    emit(code[pc], pc);
  }
  // Verified code ends every path with RET; a block past the end is never entered.
  for (auto& [pc, bb] : blocks_)
    if (!bb->getTerminator()) {
      b_.SetInsertPoint(bb);
      b_.CreateUnreachable();
    }
  if (!b_.GetInsertBlock()->getTerminator()) b_.CreateUnreachable();
  b_.SetInsertPoint(budgetSpent_);
  b_.CreateRet(i32c(0));

  std::string why;
  llvm::raw_string_ostream os(why);
  if (llvm::verifyFunction(*fn_, &os)) {
    error = "the translated function " + name + " is not valid LLVM IR: " + os.str();
    fn_->eraseFromParent();
    return nullptr;
  }
  return fn_;
}

void Translator::emitIntArith(const Insn& in, llvm::Intrinsic::ID op) {
  llvm::Value* r = b_.CreateBinaryIntrinsic(op, I(in.b), I(in.c));
  llvm::Value* overflow = b_.CreateExtractValue(r, 1);
  setInt(in.a, b_.CreateExtractValue(r, 0), b_.CreateOr(b_.CreateOr(M(in.b), M(in.c)), overflow));
}

void Translator::emitDecimal(const Insn& in, DecimalOp op) {
  llvm::Value *x = scratch(i128_), *y = scratch(i128_), *out = scratch(i128_);
  llvm::Value* missing = op == kDecNeg ? M(in.b) : b_.CreateOr(M(in.b), M(in.c));
  b_.CreateStore(D(in.b), x);
  if (op != kDecNeg) b_.CreateStore(D(in.c), y);
  llvm::Value* ok = testIf(b_.CreateNot(missing), "daliz_rt_decimal", {i32c(op), x, y, out});
  setDec(in.a, b_.CreateLoad(i128_, out), b_.CreateNot(ok));
}

void Translator::emitStringTest(const Insn& in, StringTest test) {
  llvm::Value* missing = b_.CreateOr(M(in.b), M(in.c));
  llvm::Value* r = testIf(b_.CreateNot(missing), "daliz_rt_string_test",
                          {i32c(test), P(in.b), N(in.b), P(in.c), N(in.c)});
  setBool(in.a, r, missing);
}

void Translator::emitCompare(const Insn& in, llvm::CmpInst::Predicate pred, bool decimal) {
  llvm::Value* c =
      decimal ? b_.CreateICmp(pred, D(in.b), D(in.c)) : b_.CreateICmp(pred, I(in.b), I(in.c));
  setBool(in.a, c, b_.CreateOr(M(in.b), M(in.c)));
}

// Small int sets are compared inline; larger ones are a binary search in the runtime.
void Translator::emitIntSet(const Insn& in) {
  const SetSpec& set = lp_.program.sets[in.c];
  constexpr size_t kInline = 8;
  if (set.ints.size() <= kInline) {
    llvm::Value* v = I(in.b);
    llvm::Value* found = b_.getFalse();
    for (int64_t e : set.ints) found = b_.CreateOr(found, b_.CreateICmpEQ(v, i64c(e)));
    setBool(in.a, found, M(in.b));
    return;
  }
  llvm::Value* r = call("daliz_rt_in_int_set", {context_, i32c(in.c), I(in.b)});
  setBool(in.a, b_.CreateICmpNE(r, i32c(0)), M(in.b));
}

void Translator::emitExtreme(const Insn& in, bool decimal, bool min) {
  llvm::Value *acc = decimal ? D(in.a) : I(in.a), *v = decimal ? D(in.b) : I(in.b);
  llvm::Value* better =
      b_.CreateICmp(min ? llvm::CmpInst::ICMP_SLT : llvm::CmpInst::ICMP_SGT, v, acc);
  llvm::Value* take = b_.CreateAnd(present(in.b), b_.CreateOr(M(in.a), better));
  llvm::Value* result = b_.CreateSelect(take, v, acc);
  llvm::Value* missing = b_.CreateSelect(take, b_.getFalse(), M(in.a));
  decimal ? setDec(in.a, result, missing) : setInt(in.a, result, missing);
}

// FORPREP and FORPREP_G (guarded: over frame->matched when it is set, as the interpreter).
void Translator::emitLoopHead(const Insn& in, size_t pc, bool guarded) {
  llvm::Value* list = b_.CreateSelect(M(in.b), address(&kEmptyList), P(in.b));
  llvm::Value* n = b_.CreateZExt(b_.CreateLoad(i32_, list), i64_);
  auto plain = [&] {
    setInt(in.a, i64c(0), b_.getFalse());
    setInt(in.a + 1, n, b_.getFalse());
    branch(b_.CreateICmpEQ(n, i64c(0)), in.c, pc);
  };
  if (!guarded) return plain();
  auto* all = llvm::BasicBlock::Create(cx_, "", fn_);
  auto* some = llvm::BasicBlock::Create(cx_, "", fn_);
  b_.CreateCondBr(b_.CreateIsNull(matched_), all, some);
  b_.SetInsertPoint(all);
  plain();
  b_.SetInsertPoint(some);
  auto* first = llvm::BasicBlock::Create(cx_, "", fn_);
  b_.CreateCondBr(b_.CreateOr(b_.CreateICmpEQ(matchedCount_, i64c(0)), b_.CreateICmpEQ(n, i64c(0))),
                  block(in.c), first);
  b_.SetInsertPoint(first);
  setInt(in.a, b_.CreateZExt(b_.CreateLoad(i32_, matched_), i64_), b_.getFalse());
  setInt(in.a + 1, i64c(0), b_.getFalse());
  b_.CreateBr(block(pc + 1));
}

void Translator::emitLoopTail(const Insn& in, size_t pc, bool guarded) {
  auto plain = [&] {
    llvm::Value* k = b_.CreateAdd(I(in.a), i64c(1));
    b_.CreateStore(k, regs_[in.a].i);
    auto* again = llvm::BasicBlock::Create(cx_, "", fn_);
    b_.CreateCondBr(b_.CreateICmpSLT(k, I(in.a + 1)), again, block(pc + 1));
    b_.SetInsertPoint(again);
    backEdge(in.c, pc);
  };
  if (!guarded) return plain();
  auto* all = llvm::BasicBlock::Create(cx_, "", fn_);
  auto* some = llvm::BasicBlock::Create(cx_, "", fn_);
  b_.CreateCondBr(b_.CreateIsNull(matched_), all, some);
  b_.SetInsertPoint(all);
  plain();
  b_.SetInsertPoint(some);
  llvm::Value* next = b_.CreateAdd(I(in.a + 1), i64c(1));
  b_.CreateStore(next, regs_[in.a + 1].i);
  auto* again = llvm::BasicBlock::Create(cx_, "", fn_);
  b_.CreateCondBr(b_.CreateICmpSLT(next, matchedCount_), again, block(pc + 1));
  b_.SetInsertPoint(again);
  b_.CreateStore(
      b_.CreateZExt(b_.CreateLoad(i32_, b_.CreateInBoundsGEP(i32_, matched_, next)), i64_),
      regs_[in.a].i);
  backEdge(in.c, pc);
}

void Translator::emit(const Insn& in, size_t pc) {
  using llvm::CmpInst;
  switch (static_cast<Op>(in.op)) {
    case Op::LOADK: {
      const Constant& k = lp_.program.constants[in.b];
      switch (k.kind) {
        case ConstKind::Int:
          setInt(in.a, i64c(k.i), b_.getFalse());
          break;
        case ConstKind::Decimal:
          setDec(in.a, i128c(k.d), b_.getFalse());
          break;
        case ConstKind::String:  // the loaded constant's bytes live as long as the program
          b_.CreateStore(i32c(lp_.constants[in.b].s.size), regs_[in.a].n);
          setPtr(in.a, address(lp_.constants[in.b].s.data), b_.getFalse());
          break;
      }
      return;
    }
    case Op::LOADMISS:
      return setMissing(in.a);
    case Op::MOVE:
      return copy(in.a, in.b);
    case Op::GETF: {
      llvm::Value* rec =
          b_.CreateSelect(M(in.b), address(&kMissingCell), at(P(in.b), kCell * in.c));
      return loadCell(in.a, rec);
    }
    case Op::GETITEM: {
      llvm::Value* list = b_.CreateSelect(M(in.b), address(&kEmptyList), P(in.b));
      llvm::Value* k = I(in.c);
      llvm::Value* size = b_.CreateZExt(b_.CreateLoad(i32_, list), i64_);
      llvm::Value* ok =
          b_.CreateAnd(present(in.c), b_.CreateICmpULT(k, size));  // unsigned: k < 0 fails too
      setPtr(in.a, llvm::ConstantPointerNull::get(b_.getPtrTy()), b_.getTrue());
      when(ok, [&] {
        llvm::Value* items = b_.CreateLoad(ptr_, at(list, 8));
        setPtr(in.a, b_.CreateLoad(ptr_, b_.CreateInBoundsGEP(ptr_, items, k)), b_.getFalse());
      });
      return;
    }
    case Op::ADD_I:
      return emitIntArith(in, llvm::Intrinsic::sadd_with_overflow);
    case Op::SUB_I:
      return emitIntArith(in, llvm::Intrinsic::ssub_with_overflow);
    case Op::MUL_I:
      return emitIntArith(in, llvm::Intrinsic::smul_with_overflow);
    case Op::NEG_I: {
      llvm::Value* x = I(in.b);
      return setInt(in.a, b_.CreateNeg(x),
                    b_.CreateOr(M(in.b), b_.CreateICmpEQ(x, i64c(INT64_MIN))));
    }
    case Op::ADD_DAYS: {
      llvm::Value* missing = b_.CreateOr(M(in.b), M(in.c));
      llvm::AllocaInst* out = scratch(i64_);
      llvm::Value* ok = testIf(b_.CreateNot(missing), "daliz_rt_add_days", {I(in.b), I(in.c), out});
      return setInt(in.a, b_.CreateLoad(i64_, out), b_.CreateNot(ok));
    }
    case Op::DATEPART: {
      llvm::Value* part = callIf(present(in.b), i64_, [&] {
        return call("daliz_rt_date_part", {I(in.b), i32c(in.c)});
      });
      return setInt(in.a, part, M(in.b));
    }
    case Op::HSPREFIX: {
      llvm::AllocaInst* out = scratch(i64_);
      llvm::Value* ok = testIf(present(in.b), "daliz_rt_hs_prefix", {I(in.b), i32c(in.c), out});
      return setInt(in.a, b_.CreateLoad(i64_, out), b_.CreateNot(ok));
    }
    case Op::I2D:
      return setDec(in.a, b_.CreateMul(b_.CreateSExt(I(in.b), i128_), i128c(Decimal::kOne)),
                    M(in.b));
    case Op::ADD_D:
      return emitDecimal(in, kDecAdd);
    case Op::SUB_D:
      return emitDecimal(in, kDecSub);
    case Op::MUL_D:
      return emitDecimal(in, kDecMul);
    case Op::DIV_D:
      return emitDecimal(in, kDecDiv);
    case Op::NEG_D:
      return emitDecimal(in, kDecNeg);
    case Op::EQ_I:
      return emitCompare(in, CmpInst::ICMP_EQ, false);
    case Op::LT_I:
      return emitCompare(in, CmpInst::ICMP_SLT, false);
    case Op::LE_I:
      return emitCompare(in, CmpInst::ICMP_SLE, false);
    case Op::EQ_D:
      return emitCompare(in, CmpInst::ICMP_EQ, true);
    case Op::LT_D:
      return emitCompare(in, CmpInst::ICMP_SLT, true);
    case Op::LE_D:
      return emitCompare(in, CmpInst::ICMP_SLE, true);
    case Op::EQ_S:
      return emitStringTest(in, kStrEq);
    case Op::NOT:
      return setBool(in.a, b_.CreateICmpEQ(I(in.b), i64c(0)), M(in.b));
    case Op::AND:
    case Op::OR: {
      // Kleene: a false (and) / true (or) operand decides; else unknown if either is unknown.
      const bool isAnd = static_cast<Op>(in.op) == Op::AND;
      auto decides = [&](uint16_t r) {
        llvm::Value* v = b_.CreateICmpNE(I(r), i64c(0));
        return b_.CreateAnd(present(r), isAnd ? b_.CreateNot(v) : v);
      };
      llvm::Value* decided = b_.CreateOr(decides(in.b), decides(in.c));
      llvm::Value* unknown = b_.CreateAnd(b_.CreateNot(decided), b_.CreateOr(M(in.b), M(in.c)));
      llvm::Value* value =
          isAnd ? b_.CreateAnd(b_.CreateNot(decided), b_.CreateNot(unknown)) : decided;
      return setBool(in.a, value, unknown);
    }
    case Op::ISMISSING:
      return setBool(in.a, M(in.b), b_.getFalse());
    case Op::COALESCE: {
      llvm::Value* first = present(in.b);
      const Slots &a = regs_[in.a], &x = regs_[in.b], &y = regs_[in.c];
      for (auto [dst, s1, s2, type] : {std::tuple{a.i, x.i, y.i, i64_},
                                       {a.d, x.d, y.d, i128_},
                                       {a.p, x.p, y.p, ptr_},
                                       {a.n, x.n, y.n, i32_},
                                       {a.m, x.m, y.m, i1_}})
        b_.CreateStore(b_.CreateSelect(first, b_.CreateLoad(type, s1), b_.CreateLoad(type, s2)),
                       dst);
      return;
    }
    case Op::INSET_I:
      return emitIntSet(in);
    case Op::INSET_HS: {
      llvm::Value* r = call("daliz_rt_in_hs_set", {context_, i32c(in.c), I(in.b)});
      return setBool(in.a, b_.CreateICmpNE(r, i32c(0)), M(in.b));
    }
    case Op::INSET_S: {
      llvm::Value* r =
          testIf(present(in.b), "daliz_rt_in_string_set", {context_, i32c(in.c), P(in.b), N(in.b)});
      return setBool(in.a, r, M(in.b));
    }
    case Op::LOOKUP: {
      const TableSpec& t = lp_.program.tables[in.c];
      llvm::Value* keys = cells(static_cast<unsigned>(t.keyKinds.size()));
      for (size_t k = 0; k < t.keyKinds.size(); ++k) {
        Shape shape = t.keyKinds[k] == ConstKind::Int       ? Shape::Int
                      : t.keyKinds[k] == ConstKind::Decimal ? Shape::Dec
                                                            : Shape::Str;
        storeCell(at(keys, kCell * k), static_cast<uint16_t>(in.b + k), shape);
      }
      llvm::Value* out = cells(1);
      call("daliz_rt_lookup", {context_, i32c(in.c), keys, out});
      return loadCell(in.a, out);
    }
    case Op::CONTAINS:
      return emitStringTest(in, kStrContains);
    case Op::STARTS:
      return emitStringTest(in, kStrStarts);
    case Op::ENDS:
      return emitStringTest(in, kStrEnds);
    case Op::MATCH: {
      llvm::Value* r =
          testIf(present(in.b), "daliz_rt_match", {context_, i32c(in.c), P(in.b), N(in.b)});
      return setBool(in.a, r, M(in.b));
    }
    case Op::LOWER:
    case Op::UPPER: {
      llvm::Value *arg = cells(1), *out = cells(1);
      storeCell(arg, in.b, Shape::Str);
      call("daliz_rt_change_case", {context_, arg, i32c(static_cast<Op>(in.op) == Op::UPPER), out});
      return loadCell(in.a, out);
    }
    case Op::LEN_S: {
      llvm::Value* n = callIf(present(in.b), i64_, [&] {
        return call("daliz_rt_code_points", {P(in.b), N(in.b)});
      });
      return setInt(in.a, n, M(in.b));
    }
    case Op::LEN_L: {
      llvm::Value* list = b_.CreateSelect(M(in.b), address(&kEmptyList), P(in.b));
      return setInt(in.a, b_.CreateZExt(b_.CreateLoad(i32_, list), i64_), M(in.b));
    }
    case Op::FORPREP:
      return emitLoopHead(in, pc, false);
    case Op::LOOP:
      return emitLoopTail(in, pc, false);
    case Op::FORPREP_G:
      return emitLoopHead(in, pc, true);
    case Op::LOOP_G:
      return emitLoopTail(in, pc, true);
    case Op::ACC_SUM_I: {
      llvm::Value* both = b_.CreateAnd(present(in.a), present(in.b));
      llvm::Value* r =
          b_.CreateBinaryIntrinsic(llvm::Intrinsic::sadd_with_overflow, I(in.a), I(in.b));
      return setInt(in.a, b_.CreateSelect(both, b_.CreateExtractValue(r, 0), I(in.a)),
                    b_.CreateSelect(both, b_.CreateExtractValue(r, 1), M(in.a)));
    }
    case Op::ACC_SUM_D: {
      llvm::Value *x = scratch(i128_), *y = scratch(i128_), *out = scratch(i128_);
      b_.CreateStore(D(in.a), x);
      b_.CreateStore(D(in.b), y);
      when(b_.CreateAnd(present(in.a), present(in.b)), [&] {
        llvm::Value* ok =
            b_.CreateICmpNE(call("daliz_rt_decimal", {i32c(kDecAdd), x, y, out}), i32c(0));
        setDec(in.a, b_.CreateLoad(i128_, out), b_.CreateNot(ok));
      });
      return;
    }
    case Op::ACC_MIN_I:
      return emitExtreme(in, false, true);
    case Op::ACC_MAX_I:
      return emitExtreme(in, false, false);
    case Op::ACC_MIN_D:
      return emitExtreme(in, true, true);
    case Op::ACC_MAX_D:
      return emitExtreme(in, true, false);
    case Op::JMP:
      b_.CreateBr(block(in.c));
      return;
    case Op::JMPIFFALSE:
      return branch(b_.CreateAnd(present(in.a), b_.CreateICmpEQ(I(in.a), i64c(0))), in.c, pc);
    case Op::JMPIFTRUE:
      return branch(b_.CreateAnd(present(in.a), b_.CreateICmpNE(I(in.a), i64c(0))), in.c, pc);
    case Op::JMPNOTTRUE:
      return branch(b_.CreateNot(b_.CreateAnd(present(in.a), b_.CreateICmpNE(I(in.a), i64c(0)))),
                    in.c, pc);
    case Op::SAMPLE:
      return branch(b_.CreateICmpEQ(call("daliz_rt_in_sample", {context_}), i32c(0)), in.c, pc);
    case Op::SKEY:
      call("daliz_rt_sample_key", {context_, renderedCell(in), i32c(in.b), i32c(in.c)});
      return;
    case Op::SKEYPER: {
      llvm::Value* v = cells(1);
      storeCell(v, in.a, Shape::Int);
      call("daliz_rt_sample_period", {context_, v, i32c(in.b)});
      return;
    }
    case Op::SAMPLEBY:
      return branch(b_.CreateICmpEQ(call("daliz_rt_in_keyed_sample", {context_}), i32c(0)), in.c,
                    pc);
    case Op::RTEXT:
      call("daliz_rt_reason_text", {context_, i32c(in.b)});
      return;
    case Op::RVAL:
      call("daliz_rt_reason_value", {context_, renderedCell(in), i32c(in.b), i32c(in.c)});
      return;
    case Op::TEXT:
      call("daliz_rt_text", {context_, i32c(in.b)});
      return;
    case Op::HIT:
      call("daliz_rt_hit", {context_});
      b_.CreateStore(b_.getTrue(), hit_);
      return;
    case Op::RET:
      b_.CreateRet(b_.CreateZExt(b_.CreateLoad(i1_, hit_), i32_));
      return;
    case Op::Count_:
      b_.CreateUnreachable();
      return;
  }
}

}  // namespace

llvm::Function* translateFunction(llvm::Module& module, const LoadedProgram& program,
                                  const std::string& name, const daliz::Function& function,
                                  std::string& error) {
  return Translator(module, program).translate(name, function.code, function.registers, error);
}

}  // namespace daliz::jit
