#pragma once
#include <map>
#include <string>

#include "compiler/sema/checker.h"
#include "vm/bytecode/program.h"

namespace daliz {

// The program-wide pools that profile code refers to by index: constants, regexes, sets,
// tables, and the schema. Entries are deduplicated, and named entries are added in name
// order, so indices do not depend on the order of source files.
class ProgramTables {
 public:
  ProgramTables(const Compilation& c, Program& p) : c_(c), p_(p) {}

  void lowerSchema();
  void lowerNamedSets();
  void lowerTables();
  // The document kinds the profiles ask for, sorted by code (Program::documentKinds).
  void lowerDocumentKinds();

  uint16_t constant(const Constant& k);
  uint16_t regex(const std::string& pattern);
  uint16_t namedSet(const SetDecl* s) const { return namedSets_.at(s); }
  uint16_t inlineSet(const SetLitExpr& s);
  const SetSpec& set(uint16_t index) const { return p_.sets[index]; }
  uint16_t tableIndex(const TableDecl* t) const { return tables_.at(t); }
  uint16_t enumIndex(const EnumDecl* e) const;
  uint32_t documentKind(const std::string& code) const;

 private:
  SetSpec lowerSet(const SetLitExpr& s, const Type* element, std::string name);
  uint16_t checkedIndex(size_t n, const char* what) const;

  const Compilation& c_;
  Program& p_;
  std::map<const SetDecl*, uint16_t> namedSets_;
  std::map<const TableDecl*, uint16_t> tables_;
};

}  // namespace daliz
