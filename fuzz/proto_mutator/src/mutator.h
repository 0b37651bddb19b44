// mqlab's reflection-based protobuf mutator, with the API of
// libprotobuf-mutator's protobuf_mutator::Mutator (which Debian does not
// package), so that the fuzz targets build unchanged against the real
// library in an OSS-Fuzz image.
//
// One Mutate() call makes one structural change somewhere in the message
// tree: add a field or repeated element, delete one, change a scalar (ints,
// enums, bools, floats, strings and bytes), or copy a value of the same type
// from elsewhere in the message. CrossOver() mixes two messages field by
// field. Both keep the serialized size within the hint and run the
// registered post-processors. For a given Seed() the results are the same
// on every run and platform (mqlab::Random, no std distributions).
#ifndef MQLAB_FUZZ_PROTO_MUTATOR_SRC_MUTATOR_H_
#define MQLAB_FUZZ_PROTO_MUTATOR_SRC_MUTATOR_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "base/random.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace protobuf_mutator {

namespace protobuf = google::protobuf;

class Mutator {
 public:
  // Called on every message of the registered type after a mutation or a
  // crossover, with a seed drawn from the mutator's stream.
  using PostProcess =
      std::function<void(protobuf::Message* message, unsigned int seed)>;
  // Mutates string and bytes values in place within `max_size`, returning
  // the new size (libFuzzer's LLVMFuzzerMutate, which knows the dictionary
  // and the comparisons it traced). Unset: the mutator's own byte edits.
  using ByteMutator =
      std::function<size_t(uint8_t* data, size_t size, size_t max_size)>;

  Mutator();

  void Seed(uint32_t value);
  // One change to *message; its serialized size stays at most
  // max_size_hint (when it was larger, the change is a deletion).
  void Mutate(protobuf::Message* message, size_t max_size_hint);
  // Mixes message1 into *message2: repeated fields get elements of both,
  // singular fields come from either parent, sub-messages recursively.
  void CrossOver(const protobuf::Message& message1, protobuf::Message* message2,
                 size_t max_size_hint);
  void RegisterPostProcessor(const protobuf::Descriptor* descriptor,
                             PostProcess callback);
  void SetByteMutator(ByteMutator byte_mutator) {
    byte_mutator_ = std::move(byte_mutator);
  }

 private:
  enum class Operation { kAdd, kDelete, kMutate, kCopy };
  // One place in the tree: a field of a message and, for a repeated field,
  // an element (or, for kAdd, the position a new element goes).
  struct Site {
    protobuf::Message* message = nullptr;
    const protobuf::FieldDescriptor* field = nullptr;
    int index = -1;  // -1: a singular field.
  };

  bool Apply(Operation operation, protobuf::Message* message);
  // A uniformly chosen site of *message's tree where `operation` applies.
  bool PickSite(Operation operation, protobuf::Message* message, Site* site);
  void CollectSites(Operation operation, protobuf::Message* message,
                    Site* chosen, uint64_t* seen);
  bool Add(const Site& site);
  bool Delete(const Site& site);
  bool MutateValue(const Site& site);
  bool Copy(const Site& target, protobuf::Message* root);
  void RandomValue(const Site& site);
  uint64_t MutateInteger(uint64_t value, int bits);
  double MutateFloating(double value);
  std::string MutateBytes(std::string value);
  // Mixes `from` into *to, adding at most *room bytes (counted down).
  void CrossOverMessages(const protobuf::Message& from, protobuf::Message* to,
                         size_t* room);
  void Shrink(protobuf::Message* message, size_t max_size_hint);
  void RunPostProcessors(protobuf::Message* message);

  mqlab::Random random_;
  // Bytes the current mutation may add and stay within the size hint.
  size_t room_ = 0;
  ByteMutator byte_mutator_;
  std::vector<std::pair<const protobuf::Descriptor*, PostProcess>>
      post_processors_;
};

}  // namespace protobuf_mutator

#endif  // MQLAB_FUZZ_PROTO_MUTATOR_SRC_MUTATOR_H_
