// Declarations: name resolution across modules, the schema, measures, sets, tables,
// indicators (with the recursion check), profiles and tests. Expressions are typed by
// ExprChecker (expr_checker.h).
#include "compiler/sema/checker.h"

#include <algorithm>
#include <filesystem>
#include <functional>
#include <map>
#include <set>

#include "compiler/sema/disclosure.h"
#include "compiler/sema/expr_checker.h"
#include "compiler/sema/table_data.h"
#include "stdlib/reference_data.h"
#include "vm/bytecode/program.h"
#include "vm/exec/amendment.h"

namespace daliz {
namespace {

// The corridors' names (kCorridorNames) as the lookups and suggestions of the checker take them.
const std::vector<std::string>& corridorNames() {
  static const std::vector<std::string> names(std::begin(kCorridorNames), std::end(kCorridorNames));
  return names;
}

class DeclChecker {
 public:
  DeclChecker(Compilation& c, const CheckOptions& o) : c_(c), options_(o), exprs_(c, globals_) {}

  void run() {
    collect();
    resolveSchema();
    resolveMeasures();
    for (SetDecl* s : c_.sets) checkSet(*s);
    for (TableDecl* t : c_.tables) checkTable(*t);
    checkIndicators();
    for (ProfileDecl* p : c_.profiles) checkProfile(*p);
    for (TestDecl* t : c_.tests) checkTest(*t);
    if (c_.categorize) checkCategorize(*c_.categorize);
    checkPlans();
  }

 private:
  Diagnostic& report(Diag id, SourceRange r, std::vector<std::string> args = {}) {
    return c_.diagnostics.report(id, r, std::move(args));
  }

  // Every top-level name is unique across all files; profile ids separately so.
  void collect() {
    std::map<std::string, const Decl*> profileIds;
    for (auto& m : c_.modules) {
      for (const std::string& n : m->brokenNames)
        if (!n.empty()) globals_.broken.insert(n);
      for (auto& d : m->decls) {
        if (d->kind == DeclKind::Test) {
          c_.tests.push_back(static_cast<TestDecl*>(d.get()));
          continue;
        }
        if (d->kind == DeclKind::Categorize) {
          if (c_.categorize != nullptr) {
            report(Diag::SecondCategorize, d->name.range, {d->name.text, c_.categorize->name.text});
            c_.diagnostics.note(Diag::NotePreviousDecl, c_.categorize->name.range, {c_.categorize->name.text});
            continue;
          }
          c_.categorize = static_cast<CategorizeDecl*>(d.get());
          continue;
        }
        if (d->kind == DeclKind::Plan) {  // plan ids are their own namespace, like profile ids
          c_.plans.push_back(static_cast<PlanDecl*>(d.get()));
          continue;
        }
        if (d->kind == DeclKind::Profile) {
          if (d->name.text.empty()) report(Diag::EmptyProfileId, d->name.range);
          // The engine's own hits carry these ids (vm/exec/amendment.h): a profile must not.
          if (d->name.text == kPreviousHitProfile || d->name.text.rfind("random:", 0) == 0)
            report(Diag::ReservedProfileId, d->name.range, {d->name.text});
          auto [it, fresh] = profileIds.emplace(d->name.text, d.get());
          if (!fresh) {
            report(Diag::DuplicateProfile, d->range, {d->name.text});
            c_.diagnostics.note(Diag::NotePreviousDecl, it->second->range, {d->name.text});
            continue;
          }
          c_.profiles.push_back(static_cast<ProfileDecl*>(d.get()));
          continue;
        }
        auto [it, fresh] = globals_.byName.emplace(d->name.text, d.get());
        if (!fresh) {
          report(Diag::DuplicateName, d->name.range, {d->name.text});
          c_.diagnostics.note(Diag::NotePreviousDecl, it->second->name.range, {d->name.text});
          continue;
        }
        switch (d->kind) {
          case DeclKind::Enum: c_.enums.push_back(static_cast<EnumDecl*>(d.get())); break;
          case DeclKind::Record: c_.records.push_back(static_cast<RecordDecl*>(d.get())); break;
          case DeclKind::Measure: c_.measures.push_back(static_cast<MeasureDecl*>(d.get())); break;
          case DeclKind::Set: c_.sets.push_back(static_cast<SetDecl*>(d.get())); break;
          case DeclKind::Table: c_.tables.push_back(static_cast<TableDecl*>(d.get())); break;
          case DeclKind::Indicator: c_.indicators.push_back(static_cast<IndicatorDecl*>(d.get())); break;
          default: break;
        }
      }
    }
    std::sort(c_.profiles.begin(), c_.profiles.end(),
              [](const ProfileDecl* a, const ProfileDecl* b) { return a->name.text < b->name.text; });
    auto byName = [](const Decl* a, const Decl* b) { return a->name.text < b->name.text; };
    std::sort(c_.records.begin(), c_.records.end(), byName);
    std::sort(c_.enums.begin(), c_.enums.end(), byName);
    std::sort(c_.measures.begin(), c_.measures.end(),
              [](const MeasureDecl* a, const MeasureDecl* b) { return a->name.text < b->name.text; });
  }

  void resolveSchema() {
    for (EnumDecl* e : c_.enums) {
      std::set<std::string> seen;
      for (const Name& v : e->values)
        if (!seen.insert(v.text).second) report(Diag::DuplicateField, v.range, {v.text});
    }
    for (size_t i = 0; i < c_.records.size(); ++i) {
      RecordDecl* r = c_.records[i];
      r->index = static_cast<int>(i);
      if (r->root) {
        if (c_.root != nullptr)
          report(Diag::SecondRootRecord, r->name.range, {r->name.text, c_.root->name.text});
        else
          c_.root = r;
      }
    }
    for (RecordDecl* r : c_.records) {
      std::set<std::string> seen;
      for (FieldDecl& f : r->fields) {
        if (!seen.insert(f.name.text).second) report(Diag::DuplicateField, f.name.range, {f.name.text});
        f.type = exprs_.resolveType(f.typeRef, /*allowContainers=*/true);
      }
    }
    if (c_.root == nullptr) report(Diag::NoRootRecord, {});
    globals_.root = c_.root;
  }

  void resolveMeasures() {
    const std::vector<std::string>& kCorridors = corridorNames();
    for (MeasureDecl* m : c_.measures) {
      auto it = std::find(kCorridors.begin(), kCorridors.end(), m->corridorName.text);
      if (it == kCorridors.end())
        report(Diag::UnknownCorridor, m->corridorName.range,
               {m->corridorName.text, suggestion(m->corridorName.text, kCorridors)});
      else
        m->corridor = static_cast<Corridor>(it - kCorridors.begin());
    }
  }

  void checkSet(SetDecl& s) {
    s.type = exprs_.resolveType(s.typeRef, /*allowContainers=*/true);
    if (isError(s.type)) return;
    if (s.type->kind != TypeKind::Set) {
      report(Diag::TypeMismatch, s.typeRef.range, {"a set type such as set<hs>", toString(s.type)});
      s.type = c_.types.error();
      return;
    }
    exprs_.checkSetLiteral(*s.elements, s.type);
  }

  void checkTable(TableDecl& t) {
    for (Param& k : t.keys) {
      k.type = exprs_.resolveType(k.typeRef, false);
      if (isError(k.type)) continue;
      switch (k.type->kind) {
        case TypeKind::Hs: case TypeKind::Country: case TypeKind::Currency: case TypeKind::Code:
        case TypeKind::String: case TypeKind::Int: case TypeKind::Enum:
          break;
        default:
          report(Diag::TableKeyType, k.typeRef.range, {toString(k.type)});
          k.type = c_.types.error();
      }
    }
    t.valueType = exprs_.resolveType(t.valueRef, false);
    std::string dir;
    if (options_.refDir) {
      dir = *options_.refDir;
    } else {
      dir = std::filesystem::path(c_.sources.file(t.name.range.file).path).parent_path().string();
    }
    std::string path = (std::filesystem::path(dir.empty() ? "." : dir) / t.file.text).string();
    loadTableData(c_, t, path);
  }

  // Indicators may call each other but never recursively; their bodies are checked callee
  // first so that a call's result type is known.
  void checkIndicators() {
    for (IndicatorDecl* ind : c_.indicators) {
      for (Param& p : ind->params) {
        p.type = exprs_.resolveType(p.typeRef, /*allowContainers=*/true);
        if (!isError(p.type) && p.type->kind == TypeKind::Set) {
          report(Diag::SetParameter, p.typeRef.range);
          p.type = c_.types.error();
        }
        auto local = std::make_unique<Local>(Local{Local::Kind::Param, p.name, p.type, nullptr});
        ind->locals.push_back(std::move(local));
      }
      ind->resultType = exprs_.resolveType(ind->resultRef, false);
    }
    std::map<const IndicatorDecl*, std::vector<const IndicatorDecl*>> calls;
    for (IndicatorDecl* ind : c_.indicators) calls[ind] = calledIndicators(ind->body.get());
    std::map<const IndicatorDecl*, int> state;  // 0 new, 1 on the path, 2 done
    std::vector<const IndicatorDecl*> path;
    std::set<const IndicatorDecl*> recursive;
    std::function<void(const IndicatorDecl*)> visit = [&](const IndicatorDecl* ind) {
      state[ind] = 1;
      path.push_back(ind);
      for (const IndicatorDecl* callee : calls[ind]) {
        if (state[callee] == 1) {
          auto start = std::find(path.begin(), path.end(), callee);
          std::string cycle;
          for (auto it = start; it != path.end(); ++it) cycle += (*it)->name.text + " → ";
          cycle += callee->name.text;
          if (recursive.insert(callee).second)
            report(Diag::IndicatorRecursion, callee->name.range, {callee->name.text, cycle});
          for (auto it = start; it != path.end(); ++it) recursive.insert(*it);
        } else if (state[callee] == 0) {
          visit(callee);
        }
      }
      path.pop_back();
      state[ind] = 2;
      if (!recursive.count(ind)) checkIndicatorBody(*const_cast<IndicatorDecl*>(ind));
    };
    for (IndicatorDecl* ind : c_.indicators)
      if (state[ind] == 0) visit(ind);
  }

  std::vector<const IndicatorDecl*> calledIndicators(const Expr* e) {
    std::vector<const IndicatorDecl*> out;
    std::function<void(const Expr*)> walk = [&](const Expr* x) {
      if (x == nullptr) return;
      forEachChild(*x, walk);
      if (x->kind != ExprKind::Call) return;
      auto it = globals_.byName.find(static_cast<const CallExpr*>(x)->callee.text);
      if (it != globals_.byName.end() && it->second->kind == DeclKind::Indicator)
        out.push_back(static_cast<const IndicatorDecl*>(it->second));
    };
    walk(e);
    return out;
  }

  void checkIndicatorBody(IndicatorDecl& ind) {
    Scope scope;
    for (auto& l : ind.locals) scope.locals.push_back(l.get());
    const Type* t = exprs_.check(*ind.body, scope, ind.resultType);
    if (isError(t) || isError(ind.resultType)) return;
    if (!exprs_.assignable(*ind.body, t, ind.resultType))
      report(Diag::IndicatorType, ind.body->range,
             {ind.name.text, toString(ind.resultType), toString(t)});
  }

  void checkProfile(ProfileDecl& p) {
    static const std::vector<std::string> kLevels = {"low", "medium", "high"};
    static const std::vector<std::string> kStatuses = {"draft", "active", "suspended"};
    if (p.levelName) {
      auto it = std::find(kLevels.begin(), kLevels.end(), p.levelName->text);
      if (it == kLevels.end())
        report(Diag::UnknownLevel, p.levelName->range, {p.levelName->text, suggestion(p.levelName->text, kLevels)});
      else
        p.level = static_cast<Level>(it - kLevels.begin());
    } else {
      report(Diag::MissingLevel, p.name.range, {p.name.text});
    }
    if (p.statusName) {
      auto it = std::find(kStatuses.begin(), kStatuses.end(), p.statusName->text);
      if (it == kStatuses.end())
        report(Diag::UnknownStatus, p.statusName->range, {p.statusName->text, suggestion(p.statusName->text, kStatuses)});
      else
        p.status = static_cast<ProfileStatus>(it - kStatuses.begin());
    }
    if (p.valid && p.valid->second < p.valid->first)
      report(Diag::ValidOrder, p.validRange, {toString(p.valid->first), toString(p.valid->second)});
    if (p.sample) checkSample(p);

    Scope scope;
    scope.declarationScope = !p.itemVar.has_value();
    const std::string& text = c_.sources.file(p.name.range.file).text;
    if (size_t brace = text.find('{', p.name.range.end); brace != std::string::npos)
      scope.profileBody = {p.name.range.file, static_cast<uint32_t>(brace + 1), static_cast<uint32_t>(brace + 1)};
    std::vector<const QuantifierExpr*> quantifiers;
    std::function<void(const Expr*)> collect = [&](const Expr* x) {
      if (x == nullptr) return;
      if (x->kind == ExprKind::Quantifier) quantifiers.push_back(static_cast<const QuantifierExpr*>(x));
      forEachChild(*x, collect);
    };
    for (LetBinding& let : p.lets) collect(let.value.get());
    collect(p.when.get());
    for (ReasonPart& part : p.reason) collect(part.expr.get());
    for (NoticeText& n : p.notice)
      for (ReasonPart& part : n.parts) collect(part.expr.get());
    exprs_.setQuantifiers(quantifiers);
    if (p.itemVar) {
      const Type* itemType = itemRecordType();
      p.locals.push_back(std::make_unique<Local>(Local{Local::Kind::Item, *p.itemVar, itemType, nullptr}));
      p.itemLocal = p.locals.back().get();
      scope.locals.push_back(p.itemLocal);
    }
    for (LetBinding& let : p.lets) scope.laterLets.push_back(&let.name);
    for (LetBinding& let : p.lets) {
      scope.laterLets.erase(scope.laterLets.begin());
      const Type* t = exprs_.check(*let.value, scope, nullptr);
      if (scope.find(let.name.text)) report(Diag::DuplicateLocal, let.name.range, {let.name.text});
      p.locals.push_back(std::make_unique<Local>(Local{Local::Kind::Let, let.name, t, let.value.get()}));
      let.local = p.locals.back().get();
      scope.locals.push_back(let.local);
    }
    if (p.when) {
      const Type* t = exprs_.check(*p.when, scope, c_.types.get(TypeKind::Bool));
      if (!isError(t) && t->kind != TypeKind::Bool)
        report(Diag::ConditionNotBool, p.when->range, {toString(t)});
    } else {
      report(Diag::MissingWhen, p.name.range, {p.name.text});
    }
    if (!p.sampleBy.empty() || p.samplePer) checkSampleKey(p, scope);
    std::vector<std::string> measureNames;
    for (const MeasureDecl* m : c_.measures) measureNames.push_back(m->name.text);
    for (const Name& m : p.measures) {
      auto it = globals_.byName.find(m.text);
      if (it == globals_.byName.end() || it->second->kind != DeclKind::Measure) {
        unknownMeasure(m, measureNames);
        continue;
      }
      auto* decl = static_cast<const MeasureDecl*>(it->second);
      if (std::find(p.measureDecls.begin(), p.measureDecls.end(), decl) == p.measureDecls.end())
        p.measureDecls.push_back(decl);
    }
    if (p.measures.empty()) report(Diag::MissingMeasures, p.name.range, {p.name.text});
    checkMeasureArgs(p);
    for (ReasonPart& part : p.reason)
      if (part.expr) exprs_.checkRenderable(*part.expr, scope);
    checkNotice(p, scope);
  }

  // `request_documents(invoice, "03011", 10 days)`: only a measure that `takes documents` has
  // arguments; each document kind is a name of the classifier subset or a five-digit code.
  void checkMeasureArgs(ProfileDecl& p) {
    std::vector<std::string> kindNames;
    for (const DocumentKind& k : documentKinds()) kindNames.push_back(k.name);
    for (const MeasureArgs& args : p.measureArgs) {
      const Name& m = p.measures[args.measure];
      auto it = globals_.byName.find(m.text);
      if (it == globals_.byName.end() || it->second->kind != DeclKind::Measure) continue;  // reported
      auto* decl = static_cast<const MeasureDecl*>(it->second);
      if (!decl->takesDocuments) {
        report(Diag::MeasureTakesNoArguments, args.range, {m.text});
        continue;
      }
      DocumentRequest request{decl, {}, 0};
      for (const DocumentArg& a : args.documents) {
        const DocumentKind* kind = a.quoted ? documentKindCoded(a.kind.text) : documentKindNamed(a.kind.text);
        std::string code = kind ? kind->code : a.kind.text;
        const bool wellFormed = code.size() == 5 && code.find_first_not_of("0123456789") == std::string::npos;
        if (!kind && !(a.quoted && wellFormed)) {
          report(Diag::UnknownDocumentKind, a.kind.range,
                 {a.kind.text, a.quoted ? std::string(": a document kind is a five-digit classifier code")
                                        : suggestion(a.kind.text, kindNames)});
          continue;
        }
        if (std::find(request.codes.begin(), request.codes.end(), code) != request.codes.end()) {
          report(Diag::DocumentKindTwice, a.kind.range, {code});
          continue;
        }
        request.codes.push_back(code);
      }
      for (size_t i = 0; i < args.deadlines.size(); ++i) {
        const auto& [unit, days] = args.deadlines[i];
        if (i > 0) report(Diag::DeadlineTwice, unit.range);
        else if (unit.text != "days" && unit.text != "day") report(Diag::DeadlineUnit, unit.range, {unit.text});
        else if (days < 1 || days > 365) report(Diag::DeadlineRange, unit.range, {std::to_string(days)});
        else request.deadlineDays = static_cast<uint32_t>(days);
      }
      std::sort(request.codes.begin(), request.codes.end());
      p.requests.push_back(std::move(request));
    }
  }

  // A notice: each text renderable, in a known language at most once, and showing only the
  // declaration's own data (compiler/sema/disclosure.h).
  void checkNotice(ProfileDecl& p, const Scope& scope) {
    std::set<uint8_t> languages;
    for (NoticeText& n : p.notice) {
      if (!n.language.text.empty()) {
        const auto* end = std::end(kNoticeLanguages);
        const auto* at = std::find_if(std::begin(kNoticeLanguages) + 1, end,
                                      [&](const char* l) { return n.language.text == l; });
        if (at == end) report(Diag::NoticeLanguage, n.language.range, {n.language.text});
        else n.languageIndex = static_cast<uint8_t>(at - std::begin(kNoticeLanguages));
        if (at != end && !languages.insert(n.languageIndex).second)
          report(Diag::NoticeLanguageTwice, n.language.range, {n.language.text});
      }
      for (ReasonPart& part : n.parts) {
        if (!part.expr) continue;
        exprs_.checkRenderable(*part.expr, scope);
        if (isError(part.expr->type)) continue;
        Disclosure d = findDisclosure(*part.expr);
        if (!d.at) continue;
        std::string example = p.itemVar ? p.itemVar->text + ".hs_code" : "declaration.id";
        report(Diag::NoticeDiscloses, d.at->range, {std::string(c_.sources.text(d.at->range)), d.what})
            .withHelp(Diag::HelpNoticeData, {example});
      }
    }
  }

  // A measure that is not declared; a corridor named where a measure is needed.
  void unknownMeasure(const Name& m, const std::vector<std::string>& measureNames) {
    if (globals_.broken.count(m.text)) return;
    const std::vector<std::string>& kCorridors = corridorNames();
    auto corridor = std::find(kCorridors.begin(), kCorridors.end(), m.text);
    if (corridor != kCorridors.end()) {
      std::string examples;
      size_t shown = 0;
      for (const MeasureDecl* d : c_.measures)
        if (d->corridor == static_cast<Corridor>(corridor - kCorridors.begin()) && shown < 3)
          examples += std::string(shown++ ? ", " : "") + "`" + d->name.text + "`";
      Diagnostic& d = report(Diag::CorridorAsMeasure, m.range, {m.text});
      if (!examples.empty()) d.withHelp(Diag::HelpCorridorMeasure, {m.text, examples});
      return;
    }
    std::string best = closestMatch(m.text, measureNames);
    Diagnostic& d = report(Diag::UnknownMeasure, m.range, {m.text, suggestion(m.text, measureNames)});
    if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{m.range, best}});
  }

  void checkSample(ProfileDecl& p) {
    if (p.sample->kind != ExprKind::PercentLit) {
      report(Diag::SampleNotPercent, p.sample->range);
      return;
    }
    Decimal v = static_cast<DecimalLit*>(p.sample.get())->value;
    if (v.units < 0 || v.units > Decimal::kOne) {
      report(Diag::SampleRange, p.sample->range, {toString(*mul(v, Decimal::fromInt(100))) + "%"});
      return;
    }
    p.sampleBasisPoints = toBasisPoints(v);  // p% of 10,000, rounded half-even
  }

  // Plans: one general and at most one per office; in each, known corridors once each, shares
  // within 0..100% with the range in order, random rates within 0..100% and none into green.
  void checkPlans() {
    std::map<std::string, const PlanDecl*> byOffice;
    const std::vector<std::string>& kCorridors = corridorNames();
    for (PlanDecl* plan : c_.plans) {
      if (plan->name.text.empty()) report(Diag::EmptyPlanId, plan->name.range);
      const std::string office = plan->office ? plan->office->text : "";
      auto [it, fresh] = byOffice.emplace(office, plan);
      if (!fresh) {
        const std::string what = office.empty() ? std::string("every office") : "office " + office;
        report(Diag::SecondPlan, plan->name.range, {what, it->second->name.text});
        c_.diagnostics.note(Diag::NotePreviousDecl, it->second->name.range, {it->second->name.text});
      }
      std::set<std::string> seen;
      for (PlanLine& line : plan->lines) {
        auto c = std::find(kCorridors.begin(), kCorridors.end(), line.corridor.text);
        if (c == kCorridors.end()) {
          report(Diag::UnknownCorridor, line.corridor.range,
                 {line.corridor.text, suggestion(line.corridor.text, kCorridors)});
          continue;
        }
        line.corridorCode = static_cast<uint8_t>(c - kCorridors.begin());
        if (!seen.insert(line.corridor.text).second)
          report(Diag::PlanCorridorTwice, line.corridor.range, {line.corridor.text});
        bool inRange = true;
        for (auto [v, r] : {std::pair{line.low, line.lowRange}, std::pair{line.high, line.highRange},
                            std::pair{line.random, line.randomRange}})
          if (v && (v->units < 0 || v->units > Decimal::kOne)) {
            report(Diag::PlanShareRange, r, {std::string(c_.sources.text(r))});
            inRange = false;
          }
        if (inRange && line.low && line.high && line.high->units < line.low->units)
          report(Diag::PlanRangeOrder, line.highRange,
                 {std::string(c_.sources.text(line.lowRange)), std::string(c_.sources.text(line.highRange))});
        if (line.hasRandom && line.corridorCode == 0) report(Diag::PlanRandomGreen, line.randomRange);
      }
    }
  }

  // `sample p% by k1, k2 per PERIOD`: each key one value that comes from the object (the
  // declaration, its goods item, a `let` of them), and a known period of a `registered` date.
  void checkSampleKey(ProfileDecl& p, const Scope& scope) {
    for (ExprPtr& key : p.sampleBy) {
      const Type* t = exprs_.check(*key, scope, nullptr);
      if (isError(t)) continue;
      const std::string text(c_.sources.text(key->range));
      if (t->kind == TypeKind::Record || t->kind == TypeKind::List || t->kind == TypeKind::Set) {
        const char* what = t->kind == TypeKind::Record ? "a record"
                           : t->kind == TypeKind::List ? "a list"
                                                       : "a set";
        std::string found = what;
        found += " (";
        found += toString(t);
        found += ')';
        Diagnostic& d = report(Diag::SampleByNotScalar, key->range, {text, found});
        if (t->kind == TypeKind::Record && t->record && t->record->findField("id") >= 0) {
          std::string field = text + ".id";
          d.withHelp(Diag::HelpSampleKeyField, {field}, {{key->range, field}});
        }
        continue;
      }
      std::map<const Local*, bool> lets;
      if (!readsObject(*key, lets))
        report(Diag::SampleByConstant, key->range, {text}).withHelp(Diag::HelpSampleKeyRead);
    }
    if (!p.samplePer) return;
    static const std::vector<std::string> kPeriods = {"day", "week", "month", "year"};
    const Name& per = *p.samplePer;
    auto it = std::find(kPeriods.begin(), kPeriods.end(), per.text);
    if (it == kPeriods.end()) {
      std::string best = closestMatch(per.text, kPeriods);
      Diagnostic& d =
          report(Diag::UnknownSamplePeriod, per.range, {per.text, suggestion(per.text, kPeriods)});
      if (!best.empty()) d.withHelp(Diag::HelpWrite, {best}, {{per.range, best}});
      return;
    }
    if (p.sampleBy.empty()) {
      report(Diag::SamplePerWithoutBy, per.range, {per.text})
          .withHelp(Diag::HelpSamplePerBy, {per.text});
      return;
    }
    int registered = c_.root ? c_.root->findField("registered") : -1;
    const FieldDecl* f =
        registered >= 0 ? &c_.root->fields[static_cast<size_t>(registered)] : nullptr;
    if (f == nullptr || f->type == nullptr || f->type->kind != TypeKind::Date) {
      report(Diag::SamplePerNoRegistered, per.range, {per.text});
      return;
    }
    p.samplePeriod = static_cast<uint8_t>(it - kPeriods.begin());
  }

  // Whether a sample key can differ between declarations: it reads the declaration, the goods
  // item or a `let`, or calls an indicator (which may read the declaration itself).
  // Each `let` is judged once (`lets`): a chain of lets that use the previous one twice would
  // otherwise take time exponential in its length.
  static bool readsObject(const Expr& e, std::map<const Local*, bool>& lets) {
    if (e.kind == ExprKind::Declaration) return true;
    if (e.kind == ExprKind::Call && static_cast<const CallExpr&>(e).indicator) return true;
    if (e.kind == ExprKind::Name) {
      const auto& n = static_cast<const NameExpr&>(e);
      if (n.ref == NameRef::Local && n.local) {
        if (n.local->kind != Local::Kind::Let) return true;
        auto [it, fresh] = lets.emplace(n.local, false);
        if (fresh && n.local->value) it->second = readsObject(*n.local->value, lets);
        return it->second;
      }
    }
    bool reads = false;
    forEachChild(e, [&](const Expr* child) { reads = reads || (child && readsObject(*child, lets)); });
    return reads;
  }

  // The record of the root's goods-item list (the first list field of the root record).
  const Type* itemRecordType() {
    if (c_.root == nullptr) return c_.types.error();
    for (const FieldDecl& f : c_.root->fields)
      if (f.type && f.type->kind == TypeKind::List) return f.type->element;
    return c_.types.error();
  }

  void checkTest(TestDecl& t) {
    if (t.givens.empty()) report(Diag::TestNoGiven, t.name.range, {t.name.text});
    if (t.givens.size() > 1) report(Diag::TestTwoGivens, t.givens[1]->range, {t.name.text});
    const RecordDecl* participant = participantRecord();
    if (t.participant && c_.categorize == nullptr)
      report(Diag::TestNoCategorize, t.name.range, {t.name.text});
    if (!t.givens.empty() && t.participant && participant != nullptr)
      exprs_.checkLiteral(*t.givens[0], c_.types.recordType(participant));
    if (!t.givens.empty() && !t.participant && c_.root != nullptr)
      exprs_.checkLiteral(*t.givens[0], c_.types.recordType(c_.root));
    std::vector<std::string> rules = {"default"};
    if (c_.categorize)
      for (const CategoryRule& r : c_.categorize->rules) rules.push_back(r.id.text);
    static const std::vector<std::string> kCategories = {"low", "medium", "high"};
    std::vector<std::string> ids, measureNames;
    for (const ProfileDecl* p : c_.profiles) ids.push_back(p->name.text);
    for (const MeasureDecl* m : c_.measures) measureNames.push_back(m->name.text);
    const std::vector<std::string>& kCorridors = corridorNames();
    for (const Expectation& e : t.expectations) {
      if (!t.givens.empty() && e.participantOnly() != t.participant) {
        const std::string word = std::string(c_.sources.text(e.range)).substr(7);  // after `expect `
        report(Diag::ExpectNeedsGiven, e.range,
               {word.substr(0, word.find_first_of(" \t\n")), e.participantOnly() ? "participant" : "declaration"});
        continue;
      }
      switch (e.kind) {
        case Expectation::Kind::Category:
          if (std::find(kCategories.begin(), kCategories.end(), e.corridor.text) == kCategories.end())
            report(Diag::UnknownCategory, e.corridor.range, {e.corridor.text, suggestion(e.corridor.text, kCategories)});
          break;
        case Expectation::Kind::Rule:
          if (c_.categorize && std::find(rules.begin(), rules.end(), e.profile.text) == rules.end())
            report(Diag::UnknownRule, e.profile.range, {e.profile.text, suggestion(e.profile.text, rules)});
          break;
        case Expectation::Kind::Corridor:
          if (std::find(kCorridors.begin(), kCorridors.end(), e.corridor.text) == kCorridors.end())
            report(Diag::UnknownCorridor, e.corridor.range, {e.corridor.text, suggestion(e.corridor.text, kCorridors)});
          break;
        case Expectation::Kind::Hit:
        case Expectation::Kind::NoHit:
          if (std::find(ids.begin(), ids.end(), e.profile.text) == ids.end() && !globals_.broken.count(e.profile.text))
            report(Diag::UnknownProfile, e.profile.range, {e.profile.text, suggestion(e.profile.text, ids)});
          break;
        case Expectation::Kind::Measures:
          for (const Name& m : e.measures)
            if (std::find(measureNames.begin(), measureNames.end(), m.text) == measureNames.end())
              unknownMeasure(m, measureNames);
          break;
      }
    }
  }

  // The schema's Participant record, which categorize blocks and their tests read; null if none.
  const RecordDecl* participantRecord() const {
    auto it = globals_.byName.find("Participant");
    return it != globals_.byName.end() && it->second->kind == DeclKind::Record
               ? static_cast<const RecordDecl*>(it->second)
               : nullptr;
  }

  // The categorisation of participants: rules over `participant` (a Participant record), the
  // first true one decides, else the default (docs/language.md).
  void checkCategorize(CategorizeDecl& k) {
    static const std::vector<std::string> kCategories = {"low", "medium", "high"};
    const Type* type = c_.types.error();
    const RecordDecl* record = participantRecord();
    int id = record ? record->findField("id") : -1;
    const Type* idType = id >= 0 ? record->fields[static_cast<size_t>(id)].type : nullptr;
    if (idType && idType->kind == TypeKind::String && !idType->optional) {
      k.record = record;
      type = c_.types.recordType(k.record);
    } else {
      report(Diag::NoParticipantRecord, k.name.range);
    }
    k.locals.push_back(std::make_unique<Local>(Local{Local::Kind::Participant, {"participant", k.name.range}, type, nullptr}));
    k.participant = k.locals.back().get();
    Scope scope;
    scope.categorize = true;
    scope.locals.push_back(k.participant);
    auto checkCategory = [&](CategoryRule& r) {
      auto c = std::find(kCategories.begin(), kCategories.end(), r.category.text);
      if (c == kCategories.end())
        report(Diag::UnknownCategory, r.category.range, {r.category.text, suggestion(r.category.text, kCategories)});
      else
        r.level = static_cast<Level>(c - kCategories.begin());
      for (ReasonPart& part : r.reason)
        if (part.expr) {
          exprs_.checkRenderable(*part.expr, scope);
          checkNoDeclaration(*part.expr);
        }
    };
    std::map<std::string, const CategoryRule*> ids;
    const CategoryRule* alwaysTrue = nullptr;
    for (CategoryRule& r : k.rules) {
      if (r.id.text.empty() || r.id.text == "default") {
        report(Diag::BadRuleId, r.id.range, {r.id.text.empty() ? "empty" : "\"default\": the output names the default so"});
      } else if (auto [at, fresh] = ids.emplace(r.id.text, &r); !fresh) {
        report(Diag::DuplicateRule, r.id.range, {r.id.text});
        c_.diagnostics.note(Diag::NotePreviousDecl, at->second->id.range, {r.id.text});
      }
      if (alwaysTrue) report(Diag::UnreachableRule, r.id.range, {"rule \"" + r.id.text + "\"", alwaysTrue->id.text});
      const Type* t = exprs_.check(*r.when, scope, c_.types.get(TypeKind::Bool));
      if (!isError(t) && t->kind != TypeKind::Bool) report(Diag::ConditionNotBool, r.when->range, {toString(t)});
      checkNoDeclaration(*r.when);
      checkCategory(r);
      if (!alwaysTrue && r.when->kind == ExprKind::BoolLit && static_cast<const BoolLit&>(*r.when).value)
        alwaysTrue = &r;
    }
    if (!k.fallback) {
      report(Diag::MissingDefault, k.name.range, {k.name.text});
      return;
    }
    if (alwaysTrue) report(Diag::UnreachableRule, k.fallback->id.range, {"the default", alwaysTrue->id.text});
    checkCategory(*k.fallback);
  }

  // A rule's indicators must not read `declaration`: a rule runs on a participant alone.
  void checkNoDeclaration(const Expr& e) {
    std::function<void(const Expr*)> walk = [&](const Expr* x) {
      if (x == nullptr) return;
      forEachChild(*x, walk);
      if (x->kind != ExprKind::Call) return;
      auto& call = static_cast<const CallExpr&>(*x);
      if (call.indicator && readsDeclaration(call.indicator))
        report(Diag::IndicatorReadsDeclaration, call.callee.range, {call.callee.text});
    };
    walk(&e);
  }

  // Whether an indicator's body reads `declaration`, directly or through the indicators it
  // calls (recursive ones are reported elsewhere; `readsDeclaration_` also stops cycles).
  bool readsDeclaration(const IndicatorDecl* ind) {
    if (auto it = readsDeclaration_.find(ind); it != readsDeclaration_.end()) return it->second;
    readsDeclaration_[ind] = false;
    bool reads = false;
    std::function<void(const Expr*)> walk = [&](const Expr* x) {
      if (x == nullptr || reads) return;
      if (x->kind == ExprKind::Declaration) reads = true;
      if (x->kind == ExprKind::Call) {
        auto& call = static_cast<const CallExpr&>(*x);
        if (call.indicator && readsDeclaration(call.indicator)) reads = true;
      }
      forEachChild(*x, walk);
    };
    walk(ind->body.get());
    return readsDeclaration_[ind] = reads;
  }

  Compilation& c_;
  const CheckOptions& options_;
  std::map<const IndicatorDecl*, bool> readsDeclaration_;
  Globals globals_;
  ExprChecker exprs_;
};

}  // namespace

void check(Compilation& c, const CheckOptions& options) { DeclChecker(c, options).run(); }

}  // namespace daliz
