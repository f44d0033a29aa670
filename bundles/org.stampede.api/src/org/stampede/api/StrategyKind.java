package org.stampede.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service property {@value #NAME}: what a strategy decides, one of the constants below.
 *
 * @since 0.1
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface StrategyKind {
    String PREFIX_ = "stampede.";
    String NAME = "stampede.strategy.kind";
    /** A {@link PiecePickerFactory}. */
    String PICKER = "picker";
    /** A {@link ChokerFactory} used while downloading. */
    String CHOKER = "choker";
    /** A {@link ChokerFactory} used while seeding. */
    String SEED_CHOKER = "seed-choker";

    String value();
}
