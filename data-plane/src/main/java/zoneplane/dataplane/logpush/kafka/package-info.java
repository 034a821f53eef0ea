/**
 * Logpush's Kafka destination (issue 23, a Zoneplane extension): {@code kafka://host:port[,host:port]/topic?…}
 * parsed by {@link zoneplane.dataplane.logpush.kafka.KafkaDestinationConf}, delivered by
 * {@link zoneplane.dataplane.logpush.kafka.KafkaDestination} through the official idempotent producer,
 * one record per line keyed by zone. {@link zoneplane.dataplane.logpush.kafka.BrokerAddressPolicy} is the
 * SSRF rule for the bootstrap brokers and for the brokers the cluster advertises.
 */
package zoneplane.dataplane.logpush.kafka;
