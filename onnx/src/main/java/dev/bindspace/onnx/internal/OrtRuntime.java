package dev.bindspace.onnx.internal;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtProvider;
import ai.onnxruntime.OrtSession;
import dev.bindspace.onnx.BundleException;
import dev.bindspace.onnx.OnnxRuntimeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@link OrtEnvironment} of the JVM and the translation of {@link OnnxRuntimeOptions} into
 * ORT session options. ORT's environment is a process-wide singleton that must outlive every
 * session, so it is never closed. Internal.
 */
public final class OrtRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(OrtRuntime.class);
  private static final AtomicBoolean CPU_LOGGED = new AtomicBoolean();

  /** ORT session config keys (onnxruntime_session_options_config_keys.h). */
  public static final String DISABLE_PREPACKING = "session.disable_prepacking";
  public static final String INTRA_OP_SPINNING = "session.intra_op.allow_spinning";
  public static final String DENORMAL_AS_ZERO = "session.set_denormal_as_zero";

  private OrtRuntime() {}

  /** The shared environment, created on first use. */
  public static OrtEnvironment environment() {
    return Holder.ENV;
  }

  private static final class Holder {
    static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
  }

  /** Whether the ONNX Runtime on the classpath was built with CUDA. */
  public static boolean cudaBuildPresent() {
    try {
      return OrtEnvironment.getAvailableProviders().contains(OrtProvider.CUDA);
    } catch (RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Whether this machine shows an NVIDIA GPU through its driver. */
  public static boolean gpuPresent() {
    return Files.exists(Path.of("/dev/nvidia0")) || Files.isDirectory(Path.of("/proc/driver/nvidia/gpus"));
  }

  /**
   * Session options for {@code options}; the caller closes them. Returns the provider actually
   * chosen in {@code chosen[0]} ("CUDA" or "CPU").
   */
  public static OrtSession.SessionOptions sessionOptions(OnnxRuntimeOptions options, String[] chosen) {
    OrtSession.SessionOptions so = new OrtSession.SessionOptions();
    try {
      if (options.intraOpThreads() > 0) {
        so.setIntraOpNumThreads(options.intraOpThreads());
      }
      if (options.interOpThreads() > 0) {
        so.setInterOpNumThreads(options.interOpThreads());
      }
      so.setOptimizationLevel(switch (options.optimizationLevel()) {
        case NONE -> OrtSession.SessionOptions.OptLevel.NO_OPT;
        case BASIC -> OrtSession.SessionOptions.OptLevel.BASIC_OPT;
        case EXTENDED -> OrtSession.SessionOptions.OptLevel.EXTENDED_OPT;
        case ALL -> OrtSession.SessionOptions.OptLevel.ALL_OPT;
      });
      so.setCPUArenaAllocator(options.memoryArena());
      so.setMemoryPatternOptimization(options.memoryPatterns());
      so.setExecutionMode(options.executionMode() == OnnxRuntimeOptions.ExecutionMode.PARALLEL
          ? OrtSession.SessionOptions.ExecutionMode.PARALLEL
          : OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      so.addConfigEntry(DISABLE_PREPACKING, options.weightPrepacking() ? "0" : "1");
      so.addConfigEntry(INTRA_OP_SPINNING, options.intraOpSpinning() ? "1" : "0");
      so.addConfigEntry(DENORMAL_AS_ZERO, options.denormalsAsZero() ? "1" : "0");
      chosen[0] = "CPU";
      OnnxRuntimeOptions.ExecutionProvider ep = options.executionProvider();
      if (ep != OnnxRuntimeOptions.ExecutionProvider.CPU) {
        boolean build = cudaBuildPresent();
        boolean gpu = gpuPresent();
        if (build && gpu) {
          try {
            so.addCUDA(options.cudaDevice());
            chosen[0] = "CUDA";
          } catch (OrtException e) {
            if (ep == OnnxRuntimeOptions.ExecutionProvider.CUDA) {
              throw new BundleException("CUDA execution provider requested but ONNX Runtime could not enable it on device "
                  + options.cudaDevice() + ": " + e.getMessage(), e);
            }
            logCpuOnce("CUDA could not be enabled (" + e.getMessage() + ")");
          }
        } else if (ep == OnnxRuntimeOptions.ExecutionProvider.CUDA) {
          throw new BundleException("CUDA execution provider requested, expected the GPU build of ONNX Runtime "
              + "(com.microsoft.onnxruntime:onnxruntime_gpu) and a GPU, found "
              + (build ? "" : "the CPU-only build") + (build || gpu ? "" : " and ") + (gpu ? "" : "no GPU"));
        } else {
          logCpuOnce(!build ? "the GPU build of ONNX Runtime is not on the classpath" : "no GPU was found");
        }
      }
      return so;
    } catch (OrtException e) {
      so.close();
      throw new BundleException("cannot configure ONNX Runtime with " + options + ": " + e.getMessage(), e);
    } catch (RuntimeException e) {
      so.close();
      throw e;
    }
  }

  private static void logCpuOnce(String why) {
    if (CPU_LOGGED.compareAndSet(false, true)) {
      LOG.info("ONNX Runtime runs on the CPU execution provider: {}", why);
    }
  }
}
