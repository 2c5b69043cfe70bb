package dev.ocrgate.server.engine;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Map;

/**
 * One model's session: a single float input {@code [N, C, H, W]} (a whole batch) and its first
 * float output.
 *
 * <p>Thread safety: {@link #run} may be called from several threads at once (ONNX Runtime
 * sessions are thread-safe). The input buffer is read during the call only.
 */
public final class ModelSession implements AutoCloseable {
  private final OrtEnvironment env;
  private final String name;
  private final OrtSession session;
  private final String inputName;

  private ModelSession(OrtEnvironment env, String name, OrtSession session, String inputName) {
    this.env = env;
    this.name = name;
    this.session = session;
    this.inputName = inputName;
  }

  static ModelSession wrap(OrtEnvironment env, String name, OrtSession session) {
    if (session.getNumInputs() != 1) {
      throw new EngineException(name + " model must have one input, has " + session.getNumInputs());
    }
    return new ModelSession(env, name, session, session.getInputNames().iterator().next());
  }

  /** The name given at opening (det, rec, cls). */
  public String name() {
    return name;
  }

  /**
   * Runs the model on {@code input} (direct, native order, {@code limit} = number of elements),
   * whose layout is {@code shape}.
   *
   * @throws EngineException when ONNX Runtime fails
   */
  public Tensor run(FloatBuffer input, long[] shape) {
    try (OnnxTensor tensor = OnnxTensor.createTensor(env, input, shape);
        OrtSession.Result result = session.run(Map.of(inputName, tensor))) {
      OnnxValue value = result.get(0);
      if (!(value instanceof OnnxTensor out)) {
        throw new EngineException(name + " model output is not a tensor");
      }
      FloatBuffer fb = out.getFloatBuffer();
      float[] data = new float[fb.remaining()];
      fb.get(data);
      return new Tensor(data, out.getInfo().getShape());
    } catch (OrtException e) {
      throw new EngineException(
          name + " inference failed for shape " + Arrays.toString(shape) + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    try {
      session.close();
    } catch (OrtException e) {
      throw new EngineException("cannot close " + name + " session: " + e.getMessage(), e);
    }
  }
}
