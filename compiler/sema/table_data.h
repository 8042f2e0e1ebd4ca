#pragma once
#include <string>

#include "compiler/sema/checker.h"

namespace daliz {

// Reads the CSV of `table` from `path` into table.rows, checking the header (the key
// names, then `value`) and every cell against its declared type. The CSV joins the
// compilation's sources so that errors point at its rows and columns.
void loadTableData(Compilation& c, TableDecl& table, const std::string& path);

// Splits one CSV line into cells (RFC 4180 quoting); `offsets` gets each cell's byte offset.
std::vector<std::string> splitCsvLine(std::string_view line, std::vector<uint32_t>* offsets = nullptr);

}  // namespace daliz
