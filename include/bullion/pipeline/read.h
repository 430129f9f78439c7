// Reading what users name as inputs into a sink: the whole pipeline
// (source -> framer/translator -> sink) in one call, so no tool keeps a
// read loop of its own.
//
// Inputs are trail files, "-" (stdin), FIFOs, /dev/fd/N, audit directories
// and directories of rotated audit.log files, Linux audit.log files
// (translated to BSM records as they are read) and gzip-compressed copies
// of any of these; each is opened once and its format is told from its
// first bytes. Damage goes to the sink as values; nothing is printed here.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "bullion/bsm/reader.h"
#include "bullion/bsm/sink.h"
#include "bullion/input/open.h"

namespace bullion::pipeline {

struct ReadOptions {
  // After damage, go on at the next well-framed record (praudit -p,
  // auditreduce --resync, the hand tools); otherwise that input ends at
  // its first damage.
  bool resync = true;
  // Like tail -F: files are followed as they grow and across rotation (a
  // directory: its `current` link); see input::OpenOptions.
  bool follow = false;
  input::OpenOptions open;  // (follow is taken from above)
  uint64_t resync_limit = bsm::RecordReader::kDefaultResyncLimit;
};

struct ReadSummary {
  uint64_t records = 0;  // records and file tokens handed to the sink
  uint64_t damage = 0;   // damage reports handed to the sink
  bool stopped = false;  // the sink asked to stop
};

// Reads every input in order (none: stdin). Calls sink.begin() first and
// sink.end() last.
ReadSummary read_inputs(const std::vector<std::string>& inputs, bsm::RecordSink& sink, const ReadOptions& options = {});

// One input that is already open (memory, a descriptor), named `name` in
// records and damage; no begin()/end(). The summary is added to.
void read_stream(input::OpenedInput& input, const std::string& name, bsm::RecordSink& sink, const ReadOptions& options,
                 ReadSummary& summary);

}  // namespace bullion::pipeline
