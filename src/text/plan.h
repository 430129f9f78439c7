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

// Literal text stored with OutBuf::kPad spare bytes after it, so that
// OutBuf::append_padded copies short literals in one fixed-size move.
class Literal {
 public:
  Literal() : Literal(std::string_view()) {}
  explicit Literal(std::string_view s)
      : data_(std::make_unique<char[]>(s.size() + OutBuf::kPad)), size_(s.size()) {
    std::memcpy(data_.get(), s.data(), s.size());
  }
  const char* data() const { return data_.get(); }
  size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  std::unique_ptr<char[]> data_;
  size_t size_;
};

// One value to print. `Action` is the printer's own enum of primitives.
template <class Action>
struct Step {
  Literal before;       // literal written first
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

template <class Action>
using PlanSet = std::array<TokenPlan<Action>, bsm::kTokenKindCount>;

}  // namespace bullion::text
