/**
 * The request pipeline: {@code RequestPipeline} registers, in one place and in order, every servlet
 * filter and MVC interceptor a request passes before a controller. Features build their own
 * decorators; only this package says where each runs. Depends on the features, none depends on it.
 */
package zoneplane.controlplane.pipeline;
