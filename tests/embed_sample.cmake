# ctest: compile the spec's valuation example and run the embedding sample on it.
execute_process(COMMAND ${DALIZ} compile ${SPEC}/01_valuation.dlz --ref ${SPEC} -o ${OUT}/embed.bundle
                RESULT_VARIABLE rc ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "daliz compile failed: ${err}")
endif()
execute_process(COMMAND ${SAMPLE} ${OUT}/embed.bundle RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message("${out}")
if(NOT rc EQUAL 0 OR NOT out MATCHES "EMB-1: yellow" OR NOT out MATCHES "unit price 4.50"
   OR NOT out MATCHES "EMB-2: cannot be evaluated: registered: not a valid date")
  message(FATAL_ERROR "the embedding sample did not give the expected decisions")
endif()
