// Print plans: each token kind's output, worked out once per printer from
// tokens.def and the print options, as literal text runs with value steps
// between them.
//
// Why: a record's output is mostly fixed text (names, delimiters, XML
// attribute names, JSON keys) around a few numbers and strings. Deciding per
// field, per record, which fields show, which separator comes next and how
// the options spell a value cost more than the values themselves. A plan
// settles all of that up front; printing a token is then "write literal, run
// step" over a short array, and adjacent literals are already joined.
#pragma once

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "bullion/bsm/token.h"
#include "bullion/text/outbuf.h"

namespace bullion::text {

// Literal text stored with OutBuf::kPad readable bytes after it, so that
// OutBuf::append_padded copies short literals in one fixed-size move. Short
// ones live inside the step itself, next to the step's other data.
class Literal {
 public:
  Literal() = default;
  explicit Literal(std::string_view s) : size_(s.size()) {
    if (s.size() > kInline) {
      heap_ = std::make_unique<char[]>(s.size() + OutBuf::kPad);
      std::memcpy(heap_.get(), s.data(), s.size());
    } else {
      std::memcpy(inline_, s.data(), s.size());
    }
  }
  const char* data() const { return heap_ ? heap_.get() : inline_; }
  size_t size() const { return size_; }

 private:
  static constexpr size_t kInline = 32;
  char inline_[kInline + OutBuf::kPad] = {};
  std::unique_ptr<char[]> heap_;
  size_t size_ = 0;
};

// One value to print. `Action` is the printer's own enum of primitives.
template <class Action>
struct Step {
  Literal before;  // literal written first
  Action action;
  uint8_t field = 0;    // index into DecodedToken::fields
  std::string aux;      // a second literal the action may need (a JSON key, an XML tag)
  std::string aux_end;  // and a third (closing tag, "_hex" key)
};

template <class Action>
struct TokenPlan {
  std::vector<Step<Action>> steps;
  Literal tail;  // literal written after the last step
};

// Builds one TokenPlan: text() appends literal text, step() ends the literal
// run and adds a value. Consecutive text() calls join into one literal.
template <class Action>
class PlanBuilder {
 public:
  explicit PlanBuilder(TokenPlan<Action>& plan) : plan_(plan) {}
  ~PlanBuilder() { plan_.tail = Literal(pending_); }
  void text(std::string_view s) { pending_.append(s); }
  void step(Action action, size_t field = 0, std::string aux = {}, std::string aux_end = {}) {
    plan_.steps.push_back(
        Step<Action>{Literal(pending_), action, static_cast<uint8_t>(field), std::move(aux), std::move(aux_end)});
    pending_.clear();
  }

 private:
  TokenPlan<Action>& plan_;
  std::string pending_;
};

// Prints one token by its plan; `run(step)` prints each step's value.
template <class Action, class Run>
[[gnu::always_inline]] inline void print_by_plan(const TokenPlan<Action>& plan, OutBuf& out, Run&& run) {
  for (const Step<Action>& step : plan.steps) {
    out.append_padded(step.before.data(), step.before.size());
    run(step);
  }
  out.append_padded(plan.tail.data(), plan.tail.size());
}

template <class Action>
using PlanSet = std::array<TokenPlan<Action>, bsm::kTokenKindCount>;

}  // namespace bullion::text
