// Where damage becomes a message: the last sink of every tool. It prints
// each damage report as "TOOL: INPUT: offset N: why" (or "TOOL: INPUT: why"
// for what concerns a whole input), counts them, and the tool's exit status
// follows from clean(). Names and reasons are escaped, so a hostile file
// name cannot forge a line or drive the terminal.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bullion/bsm/sink.h"

namespace bullion::tools {

class Reporter final : public bsm::RecordSink {
 public:
  explicit Reporter(std::string_view tool) : tool_(tool) {}

  bsm::Flow record(const bsm::RecordView&) override { return bsm::Flow::Continue; }
  void damage(const Error& error) override;
  // A failure of the tool's own, not about an input ("live audit: ...").
  void problem(std::string_view message);

  bool clean() const { return problems_ == 0; }
  uint64_t problems() const { return problems_; }
  // Words before the name of an input that could not be opened
  // (auditreduce says "Couldn't open NAME: why", as OpenBSM's does).
  void set_open_failure_words(std::string words) { open_failure_words_ = std::move(words); }
  // The line damage() prints, newline included.
  std::string format(const Error& error) const;
  // What the damage was, without the tool and input names and unescaped:
  // "offset N: why", or "why" for what concerns a whole input.
  static std::string what(const Error& error);

 private:
  std::string tool_;
  std::string open_failure_words_;
  uint64_t problems_ = 0;
};

}  // namespace bullion::tools
