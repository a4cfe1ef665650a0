package io.brainplane.protect.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import io.brainplane.platform.Sha256;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.env.Environment;

/**
 * Gathers the accepted keys: {@code brain.security.keys}, then the environment variables
 * {@code BRAIN_OPERATOR_KEY} and {@code BRAIN_READER_KEY}. When none is configured at
 * all, the service must not stand open, so an operator key is generated once into
 * {@code <data-dir>/operator.key} (owner-only) and read again on later starts. Key values
 * are never logged.
 */
public final class ApiKeyLoader {

	private static final Logger log = LoggerFactory.getLogger(ApiKeyLoader.class);

	public static final String KEY_FILE = "operator.key";

	private final SecurityProperties properties;

	private final Environment environment;

	private final Path dataDir;

	public ApiKeyLoader(SecurityProperties properties, Environment environment, Path dataDir) {
		this.properties = properties;
		this.environment = environment;
		this.dataDir = dataDir;
	}

	public ApiKeys load() {
		List<ApiKeys.KnownKey> keys = new ArrayList<>();
		for (SecurityProperties.Key key : this.properties.keys()) {
			keys.add(configured(key));
		}
		fromEnvironment("BRAIN_OPERATOR_KEY", "operator", Role.OPERATOR, keys);
		fromEnvironment("BRAIN_READER_KEY", "reader", Role.READER, keys);
		if (keys.isEmpty()) {
			keys.add(new ApiKeys.KnownKey("operator", Role.OPERATOR, Sha256.of(generatedKey())));
		}
		return new ApiKeys(keys);
	}

	private static ApiKeys.KnownKey configured(SecurityProperties.Key key) {
		String name = (key.name() != null && !key.name().isBlank()) ? key.name().trim() : null;
		if (name == null) {
			throw new IllegalStateException("brain.security.keys: every key needs a name");
		}
		if (key.role() == null) {
			throw new IllegalStateException("brain.security.keys: key '" + name + "' needs a role");
		}
		Role role = Role.parse(key.role());
		boolean hasKey = key.key() != null && !key.key().isBlank();
		boolean hasDigest = key.sha256() != null && !key.sha256().isBlank();
		if (hasKey == hasDigest) {
			throw new IllegalStateException("brain.security.keys: key '" + name + "' needs exactly one of key, sha256");
		}
		if (hasKey && key.key().length() < 16) {
			throw new IllegalStateException("brain.security.keys: key '" + name + "' is shorter than 16 characters");
		}
		byte[] digest = hasKey ? Sha256.of(key.key()) : ApiKeys.parseSha256(key.sha256(), name);
		return new ApiKeys.KnownKey(name, role, digest);
	}

	private void fromEnvironment(String variable, String name, Role role, List<ApiKeys.KnownKey> keys) {
		String value = this.environment.getProperty(variable);
		if (value != null && !value.isBlank()) {
			keys.add(new ApiKeys.KnownKey(name, role, Sha256.of(value.trim())));
		}
	}

	private String generatedKey() {
		Path file = this.dataDir.resolve(KEY_FILE).toAbsolutePath().normalize();
		try {
			removeLeftoverTemporaryFiles(file);
			if (Files.exists(file)) {
				String key = Files.readString(file, StandardCharsets.UTF_8).trim();
				if (!key.isEmpty()) {
					if (key.length() < 16) {
						throw new IllegalStateException("The operator key file " + file + " holds only " + key.length()
								+ " characters, too short for a key; delete it to have a new key generated");
					}
					log.info("No API key configured: using the operator key in {}", file);
					return key;
				}
				// Left by a start that was killed between creating and writing the file
				// (before keys were written atomically): nobody can hold that key.
				log.warn("The operator key file {} is empty (left by an interrupted start); generating a new key",
						file);
			}
			String key = newKey();
			write(file, key);
			log.warn("No API key configured: generated an operator key into {} (readable by this user only)", file);
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or write the operator key file " + file, ex);
		}
	}

	/**
	 * Writes the key into a temporary file beside the key file (owner-only from its
	 * creation), forces it to disk and moves it into place atomically: a crash at any
	 * point leaves either no key file or a complete one, never an empty one.
	 */
	private static void write(Path file, String key) throws IOException {
		Files.createDirectories(file.getParent());
		Set<PosixFilePermission> ownerOnly = EnumSet.of(PosixFilePermission.OWNER_READ,
				PosixFilePermission.OWNER_WRITE);
		boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
		Path temporary = posix
				? Files.createTempFile(file.getParent(), KEY_FILE + ".", ".tmp",
						PosixFilePermissions.asFileAttribute(ownerOnly))
				: Files.createTempFile(file.getParent(), KEY_FILE + ".", ".tmp");
		try {
			try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE,
					StandardOpenOption.TRUNCATE_EXISTING)) {
				ByteBuffer bytes = ByteBuffer.wrap((key + "\n").getBytes(StandardCharsets.UTF_8));
				while (bytes.hasRemaining()) {
					channel.write(bytes);
				}
				channel.force(true);
			}
			Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private static void removeLeftoverTemporaryFiles(Path file) throws IOException {
		if (!Files.isDirectory(file.getParent())) {
			return;
		}
		try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(file.getParent(), KEY_FILE + ".*.tmp")) {
			for (Path leftover : leftovers) {
				Files.deleteIfExists(leftover);
			}
		}
	}

	private static String newKey() {
		byte[] random = new byte[32];
		new SecureRandom().nextBytes(random);
		return "bp_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

}
