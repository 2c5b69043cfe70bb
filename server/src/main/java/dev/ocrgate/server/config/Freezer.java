package dev.ocrgate.server.config;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes every list and map of a bound configuration unmodifiable, in every section and in the
 * objects those hold ({@link AuthConfig.PemKey}, {@link RateLimitSection.Bucket}), so that what
 * {@link ConfigLoader#validated} hands out cannot be changed through a collection either. The
 * scalar fields are guarded by ConfigArchitectureTest: no production class outside this package
 * writes them.
 */
final class Freezer {
  private Freezer() {}

  static void freeze(Object node) {
    if (node == null) {
      return;
    }
    try {
      for (Field f : node.getClass().getFields()) {
        if (Modifier.isStatic(f.getModifiers())) {
          continue;
        }
        Object value = f.get(node);
        if (value instanceof List<?> list) {
          f.set(node, frozenList(list));
        } else if (value instanceof Map<?, ?> map) {
          f.set(node, frozenMap(map));
        } else if (value != null && isConfigObject(value.getClass())) {
          freeze(value);
        }
      }
    } catch (IllegalAccessException e) {
      throw new IllegalStateException("config field not accessible", e);
    }
  }

  private static List<Object> frozenList(List<?> list) {
    List<Object> copy = new ArrayList<>(list.size());
    for (Object item : list) {
      copy.add(frozenValue(item));
    }
    return Collections.unmodifiableList(copy);
  }

  private static Map<Object, Object> frozenMap(Map<?, ?> map) {
    Map<Object, Object> copy = new LinkedHashMap<>();
    map.forEach((k, v) -> copy.put(k, frozenValue(v)));
    return Collections.unmodifiableMap(copy);
  }

  private static Object frozenValue(Object v) {
    if (v instanceof List<?> l) {
      return frozenList(l);
    }
    if (v instanceof Map<?, ?> m) {
      return frozenMap(m);
    }
    if (v != null && isConfigObject(v.getClass())) {
      freeze(v);
    }
    return v;
  }

  private static boolean isConfigObject(Class<?> c) {
    return c.getPackageName().equals(Freezer.class.getPackageName()) && !c.isEnum();
  }
}
