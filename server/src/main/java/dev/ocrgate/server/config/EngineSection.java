package dev.ocrgate.server.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * ONNX Runtime settings: which execution provider runs the models and how it may use the
 * machine. Bound from the {@code engine:} section; read-only once loaded.
 */
public final class EngineSection {
  /**
   * {@code auto} (default: CUDA when it initialises, otherwise CPU, the log saying why),
   * {@code cuda} (fail startup when CUDA cannot be used) or {@code cpu}.
   */
  @JsonProperty public String provider = "auto";
  /** CUDA device ordinal. Default 0. */
  @JsonProperty public int device_id = 0;
  /**
   * Upper bound of the CUDA memory arena, MiB; 0 = no limit (ONNX Runtime's default). Default 0.
   */
  @JsonProperty public long gpu_mem_limit_mb = 0;
  /**
   * Threads one CPU inference may use in sessions the model.yaml batching spec does not size
   * (the direction classifier); detection and recognition sessions take {@code
   * batching.<provider>.<stage>.intra_op_threads} from model.yaml. 0 = ONNX Runtime's default
   * (one per physical core). Default 0.
   */
  @JsonProperty public int intra_op_threads = 0;
  /** Threads for running independent graph nodes in parallel; 0 = default. Default 0. */
  @JsonProperty public int inter_op_threads = 0;
}
