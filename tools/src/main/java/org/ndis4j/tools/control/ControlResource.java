package org.ndis4j.tools.control;

/**
 * A set of routes a command serves on the control endpoint. A command registers one or more; each
 * names its paths under its own prefix so that resources of different commands compose.
 */
@FunctionalInterface
public interface ControlResource {

    /** Adds this resource's routes. */
    void register(Routes routes);
}
