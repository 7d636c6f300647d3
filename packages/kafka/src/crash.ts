/**
 * kafkajs 2.2.4 restarts a crashed consumer only for retriable errors; after a non-retriable one
 * (KafkaJSGroupCoordinatorNotFound, NOT_COORDINATOR after topic re-creation, a TypeError in a handler, …) it
 * emits `consumer.crash` with `restart: false`, disconnects, and stays dead while the process looks healthy
 * (tulios/kafkajs#1445, #1630). The only safe reaction is to exit and let the supervisor restart the process.
 */
import type { Consumer } from 'kafkajs';
import type { Logger } from 'pino';

export type FatalHandler = (error: Error) => void;

export interface CrashInfo {
  error: Error;
  /** What kafkajs will do: true = it restarts the consumer itself after a back-off. */
  restart: boolean;
  groupId: string;
}

export interface ConsumerLifecycleCallbacks {
  /** Called when kafkajs will not restart the consumer. Default: log at fatal level and exit the process with 1. */
  onFatal?: FatalHandler;
  /** Every crash, restartable or not (before `onFatal`). */
  onCrash?: (info: CrashInfo) => void;
  /** The consumer's connection closed (`consumer.disconnect`, or kafkajs' own disconnect after a crash). */
  onDisconnect?: () => void;
  /** The consumer stopped fetching and left the group (`consumer.stop`, also part of every disconnect). */
  onStop?: () => void;
}

/** The default `onFatal`: the process cannot recover in place, so it ends non-zero and the supervisor restarts it. */
export function exitOnFatal(logger: Logger, exit: (code: number) => void = (code) => process.exit(code)): FatalHandler {
  return (error) => {
    logger.fatal({ err: error }, 'Kafka consumer crashed and kafkajs will not restart it; exiting');
    exit(1);
  };
}

/** Is this crash one kafkajs will not come back from? */
export function isFatalCrash(payload: { error: unknown; restart?: boolean }): boolean {
  if (payload.restart === false) return true;
  if (payload.restart === true) return false;
  const error = payload.error as { retriable?: unknown } | null | undefined;
  return error?.retriable === false;
}

type EventSource = Pick<Consumer, 'on' | 'events'>;

/**
 * Subscribes to a kafkajs consumer's CRASH, DISCONNECT and STOP events. Returns a function removing the listeners.
 * kafkajs calls listeners synchronously from its own control flow and swallows their errors, so they must not throw.
 */
export function watchConsumer(consumer: EventSource, logger: Logger, callbacks: ConsumerLifecycleCallbacks = {}): () => void {
  const onFatal = callbacks.onFatal ?? exitOnFatal(logger);
  const removers = [
    consumer.on(consumer.events.CRASH, (event) => {
      const { error, groupId } = event.payload;
      const restart = event.payload.restart;
      const fatal = isFatalCrash(event.payload);
      logger[fatal ? 'error' : 'warn']({ err: error, groupId, restart }, 'Kafka consumer crashed');
      callbacks.onCrash?.({ error, restart: !fatal, groupId });
      if (fatal) onFatal(error);
    }),
    consumer.on(consumer.events.DISCONNECT, () => {
      logger.info('Kafka consumer disconnected');
      callbacks.onDisconnect?.();
    }),
    consumer.on(consumer.events.STOP, () => {
      logger.info('Kafka consumer stopped');
      callbacks.onStop?.();
    }),
  ];
  return () => {
    for (const remove of removers) remove();
  };
}
