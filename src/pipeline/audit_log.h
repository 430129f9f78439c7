// Linux audit.log inputs: lines in, BSM records out (through the Linux
// translator), delivered to the sink as they are made.
#pragma once

#include <string>

#include "bullion/bsm/sink.h"
#include "bullion/input/byte_source.h"
#include "bullion/pipeline/read.h"

namespace bullion::pipeline {

void read_audit_log(input::ByteSource& bytes, const std::string& name, bsm::RecordSink& sink, ReadSummary& summary);

}  // namespace bullion::pipeline
