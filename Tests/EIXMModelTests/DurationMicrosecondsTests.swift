import EIXMModel
import Testing

@Suite("Whole microseconds of a duration")
struct DurationMicrosecondsTests {
    @Test("seconds and fractions count, a part of a microsecond is dropped, a negative duration is zero")
    func wholeMicroseconds() {
        #expect(Duration.milliseconds(1.5).wholeMicroseconds == 1_500)
        #expect((Duration.seconds(2) + .nanoseconds(999)).wholeMicroseconds == 2_000_000)
        #expect((Duration.seconds(3) + .microseconds(7)).wholeMicroseconds == 3_000_007)
        #expect(Duration.seconds(-1).wholeMicroseconds == 0)
    }
}
