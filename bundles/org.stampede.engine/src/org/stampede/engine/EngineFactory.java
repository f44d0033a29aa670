package org.stampede.engine;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Makes engines; registered as an OSGi service by the engine bundle, holding the strategy and tracker services
 * that the engines it makes use.
 */
@ProviderType
public interface EngineFactory {
    Engine create(EngineSettings settings) throws IOException;
}
