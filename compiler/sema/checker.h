#pragma once
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diag/diagnostic.h"
#include "compiler/sema/local.h"
#include "compiler/sema/type.h"

namespace daliz {

// Everything one compilation knows: the sources, their ASTs (typed in place once checked),
// the diagnostics, and the declarations by kind, each list in a deterministic order.
struct Compilation {
  SourceManager sources;
  DiagnosticSink diagnostics;
  TypeContext types;
  std::vector<std::unique_ptr<Module>> modules;

  std::vector<RecordDecl*> records;       // schema records, in declaration order
  RecordDecl* root = nullptr;             // the declaration record
  std::vector<EnumDecl*> enums;
  std::vector<MeasureDecl*> measures;     // sorted by name
  std::vector<SetDecl*> sets;
  std::vector<TableDecl*> tables;
  std::vector<IndicatorDecl*> indicators;
  std::vector<ProfileDecl*> profiles;     // sorted by id (byte order)
  std::vector<TestDecl*> tests;
  CategorizeDecl* categorize = nullptr;   // the categorisation of participants, if any
  std::vector<PlanDecl*> plans;           // selection plans, in source order
  // The bindings of quantifier variables: the typed AST points at them (QuantifierExpr::local,
  // NameExpr::local), so they live as long as the AST does.
  std::vector<std::unique_ptr<Local>> quantifierLocals;
};

struct CheckOptions {
  // Where `table … from "file"` looks; when empty, the folder of the declaring source.
  std::optional<std::string> refDir;
};

// Resolves names across all modules, type-checks every declaration (spec sections 3–7, 9)
// and loads table data. Reports to c.diagnostics; the typed AST is complete only when no
// error was reported.
void check(Compilation& c, const CheckOptions& options);

}  // namespace daliz
