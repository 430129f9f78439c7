// Instance keys: the bytes a sequence keeps its instances per (group-by,
// scope, subject, zone), their text for alerts, and alert ids. Internal to
// src/trace; the engine builds keys from a record's facts or, for `once
// per`, from a kept MatchedRecord.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "bullion/trace/engine.h"

namespace bullion::trace {

inline constexpr uint32_t kNonAttributable = 0xffffffffu;  // AU_DEFAUDITID

// The values a key is built from.
struct KeySource {
  bool has_subject = false;
  const bsm::Subject* subject = nullptr;
  std::string_view text, object, zone;
};

KeySource key_source(const MatchedRecord& r);
// A subject id (auid .. rgid, pid, session); Subject means the sequence's
// subject type. Non-attributable (or 0 for pid/session) without a subject.
uint32_t subject_id(const KeySource& k, KeyField field, SetType subject_type);
// Appends one field, encoded so that no two different values give the same bytes.
void append_key_field(std::string& out, KeyField field, const KeySource& k, SetType subject_type);
// Appends a length-prefixed string (a zone pinned into a key).
void append_string(std::string& out, std::string_view s);
// "192.0.2.1" or "2001:db8::1" (type 4 or 16).
std::string address_text(uint32_t type, const uint8_t* addr);
// The field as text for an alert ("10.0.0.1", "1001").
std::string key_field_text(KeyField field, const KeySource& k, SetType subject_type);
// Stable id: a digest of the sequence name and each record's place, time and event.
uint64_t alert_id(const Alert& alert);

}  // namespace bullion::trace
