package zoneplane.controlplane.distribution;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a controller of another feature whose endpoints are node-facing ({@code /internal/…}): its
 * handlers require the node token ({@link NodeAuthentication}), exactly like the distribution
 * controllers, whichever path reaches them.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface NodeFacing {}
