package io.brainplane.storage.internal;

/** Checks keys, so that no key leaves its store (no {@code ..}, no absolute paths). */
final class Keys {

	private Keys() {
	}

	static String check(String key) {
		if (key.isEmpty() || key.startsWith("/") || key.endsWith("/") || key.contains("\\") || key.contains("//")) {
			throw new IllegalArgumentException("Invalid object key '" + key + "'");
		}
		for (String segment : key.split("/")) {
			if (segment.equals(".") || segment.equals("..") || segment.indexOf('\0') >= 0) {
				throw new IllegalArgumentException("Invalid object key '" + key + "'");
			}
		}
		return key;
	}

	static String checkPrefix(String prefix) {
		if (prefix.startsWith("/") || prefix.contains("\\") || prefix.contains("..") || prefix.indexOf('\0') >= 0) {
			throw new IllegalArgumentException("Invalid object key prefix '" + prefix + "'");
		}
		return prefix;
	}

}
