#pragma once
// A reference evaluator of the profile descriptions, straight from their fields: the
// calibration check (daliz_bench_codegen --calib) uses it without any generated code.
#include <cstdint>
#include <vector>

#include "bench/profile_generator.h"
#include "bench/workload.h"

namespace daliz::bench {

// Hits of `set` on d, as profile index × 1024 + item no, in no particular order.
void referenceEvaluate(const ProfileSet& set, const Declaration& d, std::vector<uint32_t>& hits);

}  // namespace daliz::bench
