package org.stampede.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A layer over every transport: encryption (MSE/PE) is one. The engine wraps each installed {@link Transport} with
 * each installed layer (in {@code service.ranking} order, highest outermost) and listens and dials through the
 * wrapped ones; the result keeps the inner transport's {@link Transport#kind()}. A layer's connections say whether
 * they are {@link Connection#encrypted()}.
 *
 * @since 0.1
 */
@ConsumerType
public interface TransportLayer {
    /** Short name: {@code mse}. */
    String name();

    /** A transport that speaks through this layer over {@code inner}. */
    Transport wrap(Transport inner);
}
