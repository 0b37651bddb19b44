// libFuzzer entry points for protobuf inputs, shaped like
// libprotobuf-mutator's src/libfuzzer/libfuzzer_macro.h, so that a target
// written as
//
//   DEFINE_BINARY_PROTO_FUZZER(const mqlab::fuzz::Session& session) { ... }
//
// builds against this project's mutator here and against the real library
// in an OSS-Fuzz image. The macro defines LLVMFuzzerTestOneInput (parse the
// input, run the body), LLVMFuzzerCustomMutator (parse, Mutator::Mutate,
// serialize) and LLVMFuzzerCustomCrossOver. DEFINE_PROTO_FUZZER and
// DEFINE_TEXT_PROTO_FUZZER read the text format, DEFINE_BINARY_PROTO_FUZZER
// the binary one. An input that does not parse is skipped, as there.
#ifndef MQLAB_FUZZ_PROTO_MUTATOR_SRC_LIBFUZZER_LIBFUZZER_MACRO_H_
#define MQLAB_FUZZ_PROTO_MUTATOR_SRC_LIBFUZZER_LIBFUZZER_MACRO_H_

#include <cstddef>
#include <cstdint>
#include <functional>
#include <type_traits>

#include "google/protobuf/message.h"
#include "src/mutator.h"

namespace protobuf_mutator::libfuzzer {

// Parses `data` into *input (cleared first); false when it does not parse.
bool LoadProtoInput(bool binary, const uint8_t* data, size_t size,
                    protobuf::Message* input);
// What LLVMFuzzerCustomMutator does: *input is scratch space of the
// target's type.
size_t CustomProtoMutator(bool binary, uint8_t* data, size_t size,
                          size_t max_size, unsigned int seed,
                          protobuf::Message* input);
size_t CustomProtoCrossOver(bool binary, const uint8_t* data1, size_t size1,
                            const uint8_t* data2, size_t size2, uint8_t* out,
                            size_t max_out_size, unsigned int seed,
                            protobuf::Message* input1,
                            protobuf::Message* input2);
void RegisterPostProcessor(const protobuf::Descriptor* descriptor,
                           Mutator::PostProcess callback);

// A static of this type registers a post-processor for messages of Proto:
//   static protobuf_mutator::libfuzzer::PostProcessorRegistration<Session>
//       reg = {[](Session* session, unsigned int seed) { ... }};
template <class Proto>
struct PostProcessorRegistration {
  PostProcessorRegistration(
      const std::function<void(Proto* message, unsigned int seed)>& callback) {
    RegisterPostProcessor(
        Proto::descriptor(),
        [callback](protobuf::Message* message, unsigned int seed) {
          callback(static_cast<Proto*>(message), seed);
        });
  }
};

namespace macro_internal {
template <typename T>
struct GetFirstParam;
template <typename Arg>
struct GetFirstParam<void (*)(Arg)> {
  using type = std::remove_const_t<std::remove_reference_t<Arg>>;
};
}  // namespace macro_internal

}  // namespace protobuf_mutator::libfuzzer

#define DEFINE_CUSTOM_PROTO_MUTATOR_IMPL(use_binary, Proto)             \
  extern "C" size_t LLVMFuzzerCustomMutator(                            \
      uint8_t* data, size_t size, size_t max_size, unsigned int seed) { \
    static Proto input;                                                 \
    return protobuf_mutator::libfuzzer::CustomProtoMutator(             \
        use_binary, data, size, max_size, seed, &input);                \
  }

#define DEFINE_CUSTOM_PROTO_CROSSOVER_IMPL(use_binary, Proto)                 \
  extern "C" size_t LLVMFuzzerCustomCrossOver(                                \
      const uint8_t* data1, size_t size1, const uint8_t* data2, size_t size2, \
      uint8_t* out, size_t max_out_size, unsigned int seed) {                 \
    static Proto input1;                                                      \
    static Proto input2;                                                      \
    return protobuf_mutator::libfuzzer::CustomProtoCrossOver(                 \
        use_binary, data1, size1, data2, size2, out, max_out_size, seed,      \
        &input1, &input2);                                                    \
  }

// The parsed input is a static reused across runs (its memory stays
// allocated), as a libFuzzer loop wants.
#define DEFINE_TEST_ONE_PROTO_INPUT_IMPL(use_binary, Proto)                 \
  extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) { \
    static Proto input;                                                     \
    if (protobuf_mutator::libfuzzer::LoadProtoInput(use_binary, data, size, \
                                                    &input)) {              \
      TestOneProtoInput(input);                                             \
    }                                                                       \
    return 0;                                                               \
  }

#define DEFINE_PROTO_FUZZER_IMPL(use_binary, arg)                 \
  static void TestOneProtoInput(arg);                             \
  using FuzzerProtoType =                                         \
      protobuf_mutator::libfuzzer::macro_internal::GetFirstParam< \
          decltype(&TestOneProtoInput)>::type;                    \
  DEFINE_CUSTOM_PROTO_MUTATOR_IMPL(use_binary, FuzzerProtoType)   \
  DEFINE_CUSTOM_PROTO_CROSSOVER_IMPL(use_binary, FuzzerProtoType) \
  DEFINE_TEST_ONE_PROTO_INPUT_IMPL(use_binary, FuzzerProtoType)   \
  static void TestOneProtoInput(arg)

#define DEFINE_TEXT_PROTO_FUZZER(arg) DEFINE_PROTO_FUZZER_IMPL(false, arg)
#define DEFINE_BINARY_PROTO_FUZZER(arg) DEFINE_PROTO_FUZZER_IMPL(true, arg)
#define DEFINE_PROTO_FUZZER(arg) DEFINE_TEXT_PROTO_FUZZER(arg)

#endif  // MQLAB_FUZZ_PROTO_MUTATOR_SRC_LIBFUZZER_LIBFUZZER_MACRO_H_
