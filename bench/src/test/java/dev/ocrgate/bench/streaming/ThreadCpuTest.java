package dev.ocrgate.bench.streaming;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;

class ThreadCpuTest {
  @Test
  @EnabledOnOs(OS.LINUX)
  void chargesAThreadsCpuToItsGroupWithDigitsReplaced() throws Exception {
    ThreadCpu before = ThreadCpu.of(ProcessHandle.current().pid());
    // measured while the thread is alive: an ended thread's ticks leave /proc with it
    Thread alive = new Thread(() -> {
      spinFor200MsOfCpu();
      Map<String, Double> used = ThreadCpu.of(ProcessHandle.current().pid()).since(before);
      assertTrue(used.getOrDefault("cpu-test-#", 0.0) >= 0.1, "cpu-test-# used " + used);
      assertFalse(used.containsKey("cpu-test-42"), "digits are grouped: " + used);
    }, "cpu-test-42");
    Throwable[] failure = new Throwable[1];
    alive.setUncaughtExceptionHandler((t, e) -> failure[0] = e);
    alive.start();
    alive.join();
    if (failure[0] != null) {
      throw new AssertionError(failure[0]);
    }
  }

  @Test
  void jitSecondsAddsTheCompilerThreadsOnly() {
    Map<String, Double> byThread = Map.of("C# CompilerThre", 1.5, "C# CompilerThre ", 0.25,
        "grpc-default-wo", 3.0, "batch-ppocr-v#/", 9.0);
    assertEquals(1.75, RemoteBench.jitSeconds(byThread), 1e-9);
  }

  @Test
  void perItemListsLargestFirst() {
    assertEquals("b 20.0, a 10.0", ThreadCpu.perItem(Map.of("a", 1.0, "b", 2.0), 100));
  }

  /** Bounded work: spins until this thread has used 200 ms of CPU (no wall-clock assertion). */
  private static void spinFor200MsOfCpu() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    long x = 0;
    while (mx.getCurrentThreadCpuTime() < 200_000_000L) {
      for (int i = 0; i < 100_000; i++) {
        x += i * 31L ^ x;
      }
    }
    if (x == 42) {
      System.out.println(x);
    }
  }
}
