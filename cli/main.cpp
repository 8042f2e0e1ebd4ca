// The `daliz` command line: check, test, compile, run, disasm (docs/cli.md).
#include <CLI/CLI.hpp>
#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  CLI::App app{"daliz: compiler and VM for customs risk profiles"};
  app.require_subcommand(1);
  daliz::cli::Options o;

  auto* check = app.add_subcommand("check", "parse and type-check profile sources");
  check->add_option("files", o.files, "profile sources (.dlz)")->required();
  check->add_option("--schema", o.schema, "replace the stdlib's declaration schema");
  check->add_option("--ref", o.ref, "folder of the tables' CSV files (default: beside the source)");

  CLI11_PARSE(app, argc, argv);
  if (check->parsed()) return daliz::cli::runCheck(o);
  return 1;
}
