#include "src/mutator.h"

#include <cmath>
#include <limits>
#include <memory>

#include "base/check.h"
#include "google/protobuf/reflection.h"

namespace protobuf_mutator {
namespace {

using protobuf::FieldDescriptor;
using protobuf::Message;
using protobuf::Reflection;

// Values that sit on the boundaries parsers check: 0, 1, one byte, two
// bytes, the largest Variable Byte Integer, four bytes.
constexpr uint64_t kInterestingIntegers[] = {
    0,         1,          2,          3,          0x7F,
    0x80,      0xFF,       0x100,      0x3FFF,     0x4000,
    0xFFFF,    0x10000,    0x1FFFFF,   0x200000,   268435455,
    268435456, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0x100000000};

// Attempts before Mutate gives up finding a change that fits (a message
// with nothing to add, delete or change).
constexpr int kMaxAttempts = 100;
// Longest string or bytes value a mutation creates from nothing.
constexpr size_t kNewBytesMaximum = 8;
// Most bytes a new or changed scalar field adds: a tag, a ten-byte varint
// or a new short string and its length.
constexpr size_t kScalarGrowth = 24;

int BitsOf(FieldDescriptor::CppType type) {
  switch (type) {
    case FieldDescriptor::CPPTYPE_INT32:
    case FieldDescriptor::CPPTYPE_UINT32:
      return 32;
    default:
      return 64;
  }
}

bool HasValue(const Message& message, const FieldDescriptor* field) {
  return field->is_repeated()
             ? message.GetReflection()->FieldSize(message, field) > 0
             : message.GetReflection()->HasField(message, field);
}

// Most bytes element `index` of `field` (-1: the singular field) adds to a
// message: its value, tag and length.
size_t ElementSize(const Message& message, const FieldDescriptor* field,
                   int index) {
  constexpr size_t kTagAndLength = 8;
  const Reflection* r = message.GetReflection();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_MESSAGE:
      return kTagAndLength +
             (index < 0 ? r->GetMessage(message, field)
                        : r->GetRepeatedMessage(message, field, index))
                 .ByteSizeLong();
    case FieldDescriptor::CPPTYPE_STRING:
      return kTagAndLength + (index < 0
                                  ? r->GetString(message, field)
                                  : r->GetRepeatedString(message, field, index))
                                 .size();
    default:
      return kTagAndLength + 10;  // A varint or fixed number.
  }
}

// Sets `field` of *to to element `index` of `from`'s (-1: the singular
// value), or appends it when the field is repeated.
void CopyValue(const Message& from, const FieldDescriptor* field, int index,
               Message* to) {
  const Reflection* fr = from.GetReflection();
  const Reflection* r = to->GetReflection();
  const bool add = field->is_repeated();
  switch (field->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t v = add ? fr->GetRepeatedInt32(from, field, index)
                            : fr->GetInt32(from, field);
      add ? r->AddInt32(to, field, v) : r->SetInt32(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t v = add ? fr->GetRepeatedInt64(from, field, index)
                            : fr->GetInt64(from, field);
      add ? r->AddInt64(to, field, v) : r->SetInt64(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const uint32_t v = add ? fr->GetRepeatedUInt32(from, field, index)
                             : fr->GetUInt32(from, field);
      add ? r->AddUInt32(to, field, v) : r->SetUInt32(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t v = add ? fr->GetRepeatedUInt64(from, field, index)
                             : fr->GetUInt64(from, field);
      add ? r->AddUInt64(to, field, v) : r->SetUInt64(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const float v = add ? fr->GetRepeatedFloat(from, field, index)
                          : fr->GetFloat(from, field);
      add ? r->AddFloat(to, field, v) : r->SetFloat(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v = add ? fr->GetRepeatedDouble(from, field, index)
                           : fr->GetDouble(from, field);
      add ? r->AddDouble(to, field, v) : r->SetDouble(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = add ? fr->GetRepeatedBool(from, field, index)
                         : fr->GetBool(from, field);
      add ? r->AddBool(to, field, v) : r->SetBool(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const int v = add ? fr->GetRepeatedEnumValue(from, field, index)
                        : fr->GetEnumValue(from, field);
      add ? r->AddEnumValue(to, field, v) : r->SetEnumValue(to, field, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = add ? fr->GetRepeatedString(from, field, index)
                          : fr->GetString(from, field);
      add ? r->AddString(to, field, std::move(v))
          : r->SetString(to, field, std::move(v));
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      const Message& v = add ? fr->GetRepeatedMessage(from, field, index)
                             : fr->GetMessage(from, field);
      (add ? r->AddMessage(to, field) : r->MutableMessage(to, field))
          ->CopyFrom(v);
      break;
    }
  }
}

}  // namespace

Mutator::Mutator() : random_(0) {}

void Mutator::Seed(uint32_t value) { random_ = mqlab::Random(value); }

void Mutator::RegisterPostProcessor(const protobuf::Descriptor* descriptor,
                                    PostProcess callback) {
  post_processors_.emplace_back(descriptor, std::move(callback));
}

void Mutator::Mutate(Message* message, size_t max_size_hint) {
  bool changed = false;
  for (int attempt = 0; attempt < kMaxAttempts && !changed; ++attempt) {
    const size_t size = message->ByteSizeLong();
    if (size > max_size_hint) {
      changed = Apply(Operation::kDelete, message);
      continue;
    }
    // Each operation keeps its growth within the room left, so that no
    // copy of the message is needed to undo one that overflows.
    room_ = max_size_hint - size;
    constexpr Operation kOperations[] = {Operation::kAdd, Operation::kDelete,
                                         Operation::kMutate, Operation::kCopy};
    // Mutating values is the most common step; adding comes next, so that
    // inputs grow towards realistic sessions.
    const uint64_t draw = random_.Below(10);
    const Operation operation = draw < 4   ? kOperations[2]
                                : draw < 7 ? kOperations[0]
                                : draw < 9 ? kOperations[1]
                                           : kOperations[3];
    changed = Apply(operation, message);
  }
  // The growth bounds are estimates at the edges (a length prefix that
  // gains a byte): deletions restore the bound.
  Shrink(message, max_size_hint);
  RunPostProcessors(message);
}

void Mutator::CrossOver(const Message& message1, Message* message2,
                        size_t max_size_hint) {
  MQLAB_CHECK_MSG(message1.GetDescriptor() == message2->GetDescriptor(),
                  "crossover of two different message types");
  const size_t size = message2->ByteSizeLong();
  size_t room = size < max_size_hint ? max_size_hint - size : 0;
  CrossOverMessages(message1, message2, &room);
  Shrink(message2, max_size_hint);
  RunPostProcessors(message2);
}

bool Mutator::Apply(Operation operation, Message* message) {
  Site site;
  if (!PickSite(operation, message, &site)) return false;
  switch (operation) {
    case Operation::kAdd:
      return Add(site);
    case Operation::kDelete:
      return Delete(site);
    case Operation::kMutate:
      return MutateValue(site);
    case Operation::kCopy:
      return Copy(site, message);
  }
  return false;
}

bool Mutator::PickSite(Operation operation, Message* message, Site* site) {
  uint64_t seen = 0;
  CollectSites(operation, message, site, &seen);
  return seen > 0;
}

// Reservoir sampling over the sites where `operation` applies, so that every
// site is equally likely in one walk of the tree.
void Mutator::CollectSites(Operation operation, Message* message, Site* chosen,
                           uint64_t* seen) {
  const protobuf::Descriptor* descriptor = message->GetDescriptor();
  const Reflection* reflection = message->GetReflection();
  const auto offer = [&](const FieldDescriptor* field, int index) {
    ++*seen;
    if (random_.Below(*seen) == 0) *chosen = Site{message, field, index};
  };
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    const bool is_message =
        field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE;
    if (field->is_repeated()) {
      const int size = reflection->FieldSize(*message, field);
      switch (operation) {
        case Operation::kAdd:
          offer(field, static_cast<int>(random_.Below(size + 1)));
          break;
        case Operation::kDelete:
        case Operation::kCopy:
          for (int j = 0; j < size; ++j) offer(field, j);
          break;
        case Operation::kMutate:
          if (!is_message) {
            for (int j = 0; j < size; ++j) offer(field, j);
          }
          break;
      }
      if (is_message) {
        for (int j = 0; j < size; ++j) {
          CollectSites(operation,
                       reflection->MutableRepeatedMessage(message, field, j),
                       chosen, seen);
        }
      }
      continue;
    }
    const bool has = reflection->HasField(*message, field);
    switch (operation) {
      case Operation::kAdd:
        if (!has) offer(field, -1);
        break;
      case Operation::kDelete:
      case Operation::kCopy:
        if (has) offer(field, -1);
        break;
      case Operation::kMutate:
        // An unset scalar is mutated from its default (setting it).
        if (!is_message) offer(field, -1);
        break;
    }
    if (is_message && has) {
      CollectSites(operation, reflection->MutableMessage(message, field),
                   chosen, seen);
    }
  }
}

bool Mutator::Add(const Site& site) {
  if (room_ < kScalarGrowth) return false;
  const Reflection* reflection = site.message->GetReflection();
  if (!site.field->is_repeated()) {
    if (site.field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      reflection->MutableMessage(site.message, site.field);
    } else {
      RandomValue(site);
    }
    return true;
  }
  // Append, then move the new element back to the chosen position.
  if (site.field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    reflection->AddMessage(site.message, site.field);
  } else {
    switch (site.field->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        reflection->AddInt32(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        reflection->AddInt64(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        reflection->AddUInt32(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        reflection->AddUInt64(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_FLOAT:
        reflection->AddFloat(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_DOUBLE:
        reflection->AddDouble(site.message, site.field, 0);
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        reflection->AddBool(site.message, site.field, false);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        reflection->AddEnum(site.message, site.field,
                            site.field->enum_type()->value(0));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        reflection->AddString(site.message, site.field, "");
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        break;
    }
    const int last = reflection->FieldSize(*site.message, site.field) - 1;
    RandomValue(Site{site.message, site.field, last});
  }
  for (int at = reflection->FieldSize(*site.message, site.field) - 1;
       at > site.index; --at) {
    reflection->SwapElements(site.message, site.field, at, at - 1);
  }
  return true;
}

bool Mutator::Delete(const Site& site) {
  const Reflection* reflection = site.message->GetReflection();
  if (!site.field->is_repeated()) {
    reflection->ClearField(site.message, site.field);
    return true;
  }
  const int last = reflection->FieldSize(*site.message, site.field) - 1;
  for (int at = site.index; at < last; ++at) {
    reflection->SwapElements(site.message, site.field, at, at + 1);
  }
  reflection->RemoveLast(site.message, site.field);
  return true;
}

void Mutator::RandomValue(const Site& site) {
  const Reflection* r = site.message->GetReflection();
  Message* m = site.message;
  const FieldDescriptor* f = site.field;
  const bool repeated = f->is_repeated();
  const uint64_t integer =
      random_.Chance(0.5)
          ? kInterestingIntegers[random_.Below(std::size(kInterestingIntegers))]
          : random_.Below(256);
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const auto v = static_cast<int32_t>(integer);
      repeated ? r->SetRepeatedInt32(m, f, site.index, v)
               : r->SetInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const auto v = static_cast<int64_t>(integer);
      repeated ? r->SetRepeatedInt64(m, f, site.index, v)
               : r->SetInt64(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const auto v = static_cast<uint32_t>(integer);
      repeated ? r->SetRepeatedUInt32(m, f, site.index, v)
               : r->SetUInt32(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      repeated ? r->SetRepeatedUInt64(m, f, site.index, integer)
               : r->SetUInt64(m, f, integer);
      break;
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const auto v = static_cast<float>(MutateFloating(0));
      repeated ? r->SetRepeatedFloat(m, f, site.index, v)
               : r->SetFloat(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double v = MutateFloating(0);
      repeated ? r->SetRepeatedDouble(m, f, site.index, v)
               : r->SetDouble(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v = random_.Chance(0.5);
      repeated ? r->SetRepeatedBool(m, f, site.index, v) : r->SetBool(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const protobuf::EnumValueDescriptor* v = f->enum_type()->value(
          static_cast<int>(random_.Below(f->enum_type()->value_count())));
      repeated ? r->SetRepeatedEnum(m, f, site.index, v) : r->SetEnum(m, f, v);
      break;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v(random_.Below(kNewBytesMaximum + 1), '\0');
      for (char& c : v) c = static_cast<char>(random_.Below(256));
      repeated ? r->SetRepeatedString(m, f, site.index, std::move(v))
               : r->SetString(m, f, std::move(v));
      break;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
}

uint64_t Mutator::MutateInteger(uint64_t value, int bits) {
  const uint64_t mask = bits == 64 ? ~uint64_t{0} : (uint64_t{1} << bits) - 1;
  switch (random_.Below(4)) {
    case 0:  // A small step either way.
      value += random_.Chance(0.5) ? 1 + random_.Below(16)
                                   : 0 - (1 + random_.Below(16));
      break;
    case 1:
      value ^= uint64_t{1} << random_.Below(bits);
      break;
    case 2:
      value =
          kInterestingIntegers[random_.Below(std::size(kInterestingIntegers))];
      break;
    default:
      value = random_.Next();
      break;
  }
  return value & mask;
}

double Mutator::MutateFloating(double value) {
  switch (random_.Below(4)) {
    case 0:
      return value + (random_.Unit() - 0.5) * 16;
    case 1:
      return value * -1.0;
    case 2: {
      constexpr double kSpecial[] = {0.0,
                                     1.0,
                                     -1.0,
                                     std::numeric_limits<double>::infinity(),
                                     std::numeric_limits<double>::quiet_NaN(),
                                     std::numeric_limits<double>::max()};
      return kSpecial[random_.Below(std::size(kSpecial))];
    }
    default:
      return (random_.Unit() - 0.5) * std::ldexp(1.0, random_.Below(64));
  }
}

std::string Mutator::MutateBytes(std::string value) {
  // Growth in bytes this mutation may add (its length prefix may gain up to
  // two bytes as well).
  const size_t growth = room_ > kScalarGrowth ? room_ - kScalarGrowth : 0;
  if (byte_mutator_ && random_.Chance(0.5)) {
    const size_t max_size =
        value.size() + std::min(value.size() + kNewBytesMaximum, growth);
    std::string buffer = value;
    buffer.resize(max_size);
    const size_t size = byte_mutator_(reinterpret_cast<uint8_t*>(buffer.data()),
                                      value.size(), max_size);
    buffer.resize(size);
    return buffer;
  }
  const auto random_byte = [&] {
    return static_cast<char>(random_.Below(256));
  };
  switch (value.empty() ? 0 : random_.Below(5)) {
    case 0:  // Insert a byte.
      value.insert(value.begin() + random_.Below(value.size() + 1),
                   random_byte());
      break;
    case 1:  // Erase a range.
    {
      if (value.empty()) break;
      const size_t at = random_.Below(value.size());
      value.erase(at, 1 + random_.Below(value.size() - at));
      break;
    }
    case 2:  // Change a byte.
      if (value.empty()) break;
      value[random_.Below(value.size())] = random_byte();
      break;
    case 3:  // Flip a bit.
      if (value.empty()) break;
      value[random_.Below(value.size())] ^=
          static_cast<char>(1u << random_.Below(8));
      break;
    default:  // Repeat a piece of itself.
    {
      const size_t at = random_.Below(value.size());
      const std::string piece = value.substr(at, 1 + random_.Below(4));
      value.insert(random_.Below(value.size() + 1), piece);
      break;
    }
  }
  return value;
}

bool Mutator::MutateValue(const Site& site) {
  const Reflection* r = site.message->GetReflection();
  if (room_ < kScalarGrowth && !site.field->is_repeated() &&
      !r->HasField(*site.message, site.field)) {
    return false;  // Setting an unset scalar needs room.
  }
  Message* m = site.message;
  const FieldDescriptor* f = site.field;
  const bool repeated = f->is_repeated();
  const int i = site.index;
  const int bits = BitsOf(f->cpp_type());
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      const int32_t old =
          repeated ? r->GetRepeatedInt32(*m, f, i) : r->GetInt32(*m, f);
      const auto v =
          static_cast<int32_t>(MutateInteger(static_cast<uint32_t>(old), bits));
      repeated ? r->SetRepeatedInt32(m, f, i, v) : r->SetInt32(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_INT64: {
      const int64_t old =
          repeated ? r->GetRepeatedInt64(*m, f, i) : r->GetInt64(*m, f);
      const auto v =
          static_cast<int64_t>(MutateInteger(static_cast<uint64_t>(old), bits));
      repeated ? r->SetRepeatedInt64(m, f, i, v) : r->SetInt64(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_UINT32: {
      const uint32_t old =
          repeated ? r->GetRepeatedUInt32(*m, f, i) : r->GetUInt32(*m, f);
      const auto v = static_cast<uint32_t>(MutateInteger(old, bits));
      repeated ? r->SetRepeatedUInt32(m, f, i, v) : r->SetUInt32(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_UINT64: {
      const uint64_t old =
          repeated ? r->GetRepeatedUInt64(*m, f, i) : r->GetUInt64(*m, f);
      const uint64_t v = MutateInteger(old, bits);
      repeated ? r->SetRepeatedUInt64(m, f, i, v) : r->SetUInt64(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_FLOAT: {
      const float old =
          repeated ? r->GetRepeatedFloat(*m, f, i) : r->GetFloat(*m, f);
      const auto v = static_cast<float>(MutateFloating(old));
      repeated ? r->SetRepeatedFloat(m, f, i, v) : r->SetFloat(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_DOUBLE: {
      const double old =
          repeated ? r->GetRepeatedDouble(*m, f, i) : r->GetDouble(*m, f);
      const double v = MutateFloating(old);
      repeated ? r->SetRepeatedDouble(m, f, i, v) : r->SetDouble(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_BOOL: {
      const bool v =
          !(repeated ? r->GetRepeatedBool(*m, f, i) : r->GetBool(*m, f));
      repeated ? r->SetRepeatedBool(m, f, i, v) : r->SetBool(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_ENUM: {
      const protobuf::EnumDescriptor* type = f->enum_type();
      const int old =
          repeated ? r->GetRepeatedEnumValue(*m, f, i) : r->GetEnumValue(*m, f);
      if (type->value_count() == 1 && r->HasField(*m, f)) return false;
      const protobuf::EnumValueDescriptor* v =
          type->value(static_cast<int>(random_.Below(type->value_count())));
      if (v->number() == old && type->value_count() > 1) {
        v = type->value((v->index() + 1) % type->value_count());
      }
      repeated ? r->SetRepeatedEnum(m, f, i, v) : r->SetEnum(m, f, v);
      return true;
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      std::string v = MutateBytes(repeated ? r->GetRepeatedString(*m, f, i)
                                           : r->GetString(*m, f));
      repeated ? r->SetRepeatedString(m, f, i, std::move(v))
               : r->SetString(m, f, std::move(v));
      return true;
    }
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return false;
}

// Copies a value of the target's type from a random place of the tree
// (possibly the target itself, which changes nothing).
bool Mutator::Copy(const Site& target, Message* root) {
  const FieldDescriptor* field = target.field;
  const Reflection* r = target.message->GetReflection();
  if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    // Another message of the same type, found by walking the tree.
    std::vector<const Message*> candidates;
    std::vector<const Message*> stack = {root};
    while (!stack.empty()) {
      const Message* at = stack.back();
      stack.pop_back();
      if (at->GetDescriptor() == field->message_type()) {
        candidates.push_back(at);
      }
      std::vector<const FieldDescriptor*> fields;
      at->GetReflection()->ListFields(*at, &fields);
      for (const FieldDescriptor* f : fields) {
        if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
        const Reflection* ar = at->GetReflection();
        if (f->is_repeated()) {
          for (int j = 0; j < ar->FieldSize(*at, f); ++j) {
            stack.push_back(&ar->GetRepeatedMessage(*at, f, j));
          }
        } else {
          stack.push_back(&ar->GetMessage(*at, f));
        }
      }
    }
    const Message* source = candidates[random_.Below(candidates.size())];
    if (source->ByteSizeLong() + kScalarGrowth > room_) return false;
    Message* destination =
        field->is_repeated()
            ? r->MutableRepeatedMessage(target.message, field, target.index)
            : r->MutableMessage(target.message, field);
    if (source == destination) return false;
    // The source may lie inside the destination: copy through a temporary.
    std::unique_ptr<Message> copy(source->New());
    copy->CopyFrom(*source);
    destination->GetReflection()->Swap(destination, copy.get());
    return true;
  }
  // A scalar is copied from a sibling element of its repeated field (a
  // singular scalar has none; kMutate covers it).
  if (field->is_repeated()) {
    const int size = r->FieldSize(*target.message, field);
    const int source = static_cast<int>(random_.Below(size));
    if (source == target.index) return false;
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING &&
        r->GetRepeatedString(*target.message, field, source).size() +
                kScalarGrowth >
            room_) {
      return false;
    }
    CopyValue(*target.message, field, source, target.message);  // Appends.
    const int appended = size;
    r->SwapElements(target.message, field, target.index, appended);
    r->RemoveLast(target.message, field);
    return true;
  }
  return false;
}

void Mutator::CrossOverMessages(const Message& from, Message* to,
                                size_t* room) {
  const protobuf::Descriptor* descriptor = to->GetDescriptor();
  const Reflection* r = to->GetReflection();
  const Reflection* fr = from.GetReflection();
  for (int i = 0; i < descriptor->field_count(); ++i) {
    const FieldDescriptor* field = descriptor->field(i);
    if (!HasValue(from, field)) continue;
    if (field->is_repeated()) {
      // Each element of `from` joins with probability 1/2 while it fits;
      // the ones that join keep their order and are interleaved with `to`'s
      // own.
      const int own = r->FieldSize(*to, field);
      for (int j = 0; j < fr->FieldSize(from, field); ++j) {
        if (random_.Chance(0.5)) continue;
        const size_t size = ElementSize(from, field, j);
        if (size > *room) continue;
        *room -= size;
        CopyValue(from, field, j, to);
      }
      int floor = 0;
      for (int k = own; k < r->FieldSize(*to, field); ++k) {
        const int place =
            floor + static_cast<int>(random_.Below(k - floor + 1));
        for (int at = k; at > place; --at) {
          r->SwapElements(to, field, at, at - 1);
        }
        floor = place + 1;
      }
      continue;
    }
    if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE &&
        r->HasField(*to, field) && random_.Chance(0.5)) {
      CrossOverMessages(fr->GetMessage(from, field),
                        r->MutableMessage(to, field), room);
      continue;
    }
    if (random_.Chance(0.5)) {
      const size_t size = ElementSize(from, field, -1);
      if (size > *room) continue;
      *room -= size;  // At most: `to`'s own value goes.
      CopyValue(from, field, -1, to);
    }
  }
}

void Mutator::Shrink(Message* message, size_t max_size_hint) {
  while (message->ByteSizeLong() > max_size_hint &&
         Apply(Operation::kDelete, message)) {
  }
}

void Mutator::RunPostProcessors(Message* message) {
  if (post_processors_.empty()) return;
  const protobuf::Descriptor* descriptor = message->GetDescriptor();
  for (const auto& [type, callback] : post_processors_) {
    if (type == descriptor) {
      callback(message, static_cast<unsigned int>(random_.Next()));
    }
  }
  const Reflection* r = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  r->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int j = 0; j < r->FieldSize(*message, field); ++j) {
        RunPostProcessors(r->MutableRepeatedMessage(message, field, j));
      }
    } else {
      RunPostProcessors(r->MutableMessage(message, field));
    }
  }
}

}  // namespace protobuf_mutator
