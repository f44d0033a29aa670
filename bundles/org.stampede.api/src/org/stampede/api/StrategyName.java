package org.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property {@value #NAME} that names a strategy, e.g. {@code @StrategyName("rarest-first")} on a
 * {@code @Component}. Users select strategies by this name (`--picker rarest-first`); a reference selects one with
 * the target filter {@code (stampede.strategy.name=rarest-first)}.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StrategyName {
    String PREFIX_ = "stampede.";
    /** The property's name. */
    String NAME = "stampede.strategy.name";

    String value();
}
