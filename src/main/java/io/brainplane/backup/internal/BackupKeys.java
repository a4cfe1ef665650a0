package io.brainplane.backup.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.springframework.lang.Nullable;
import org.springframework.stereotype.Component;

/**
 * The encryption keys: the current one ({@code brain.backup.encryption-key}), which
 * encrypts new backups, and the previous ones, which still decrypt older backups after a
 * rotation. A key that is not base64 of 32 bytes stops the start with a message that
 * names the setting, never the key.
 */
@Component
public class BackupKeys {

	private final BackupCipher.Key current;

	private final Map<String, BackupCipher.Key> byId = new LinkedHashMap<>();

	BackupKeys(BackupProperties properties) {
		this.current = parse("brain.backup.encryption-key", properties.encryptionKey());
		if (this.current != null) {
			this.byId.put(this.current.id(), this.current);
		}
		for (int i = 0; i < properties.previousEncryptionKeys().size(); i++) {
			BackupCipher.Key key = parse("brain.backup.previous-encryption-keys[" + i + "]",
					properties.previousEncryptionKeys().get(i));
			if (key != null) {
				this.byId.putIfAbsent(key.id(), key);
			}
		}
	}

	private static BackupCipher.Key parse(String property, @Nullable String value) {
		if (value == null || value.isBlank()) {
			return null;
		}
		try {
			return BackupCipher.key(value);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException(property + " " + ex.getMessage());
		}
	}

	/** The key new backups are encrypted with; empty when encryption is off. */
	Optional<BackupCipher.Key> current() {
		return Optional.ofNullable(this.current);
	}

	/** The configured key with that id. */
	Optional<BackupCipher.Key> find(String id) {
		return Optional.ofNullable(this.byId.get(id));
	}

}
