// The fax server (reference §2.2 FaxServer): ports on their lines, the outbound queue, inbound calls, archives and
// notifications over one store. The API layer calls these methods; nothing here speaks HTTP.

import { mkdir } from 'node:fs/promises';
import {
  FAX_SERVER_EVENTS_TYPE_ENUM,
  FaxApiError,
  type FaxBroadcast,
  type FaxJob,
  type FaxPortInfo,
  type FaxQueueState,
  type FaxRoutingMethod,
  type FaxStatus,
  type JobOperation,
  type SubmitJobRequest,
  type SubmittedBroadcast,
} from '@faxd/contract';
import { type Caller, checkSubmitRight } from '../auth/caller.js';
import { KeyWatch } from '../auth/key-watch.js';
import { LineOwners } from '../auth/line-owners.js';
import { UserStore } from '../auth/user-store.js';
import type { FaxdConfig } from '../config/faxd-config.js';
import { ConversionThread } from '../documents/conversion-thread.js';
import type { FaxConversion } from '../documents/fax-conversion.js';
import { DeliveryReports } from '../mail/delivery-reports.js';
import { MailOutbox } from '../mail/mail-outbox.js';
import { FaxdMetrics } from '../metrics/faxd-metrics.js';
import { AuditLog } from '../store/audit-log.js';
import { type FaxdDb, openDatabase } from '../store/database.js';
import type { TlsCredentials } from '../tls/tls-credentials.js';
import { Archive } from './archive.js';
import { BroadcastDocuments } from './broadcast-documents.js';
import { recordRequest } from './broadcast-submission.js';
import { CallAnswering } from './call-answering.js';
import { type Clock, systemClock } from './clock.js';
import { ClusterNode } from './cluster-node.js';
import { ClusterPorts } from './cluster-ports.js';
import { DataFiles } from './data-files.js';
import { EventHub } from './event-hub.js';
import { reportFaultToStderr } from './fault-report.js';
import { scheduleHousekeeping } from './housekeeping.js';
import { JobBook } from './job-book.js';
import { cancelBroadcast, type JobOperationContext, operateOnJob } from './job-operations.js';
import { JobOwners } from './job-owners.js';
import { type PreviewCover, renderPreview } from './job-submission.js';
import { JobViews } from './job-views.js';
import { openLines } from './line-set.js';
import { OutboundQueue } from './outbound-queue.js';
import type { PortRuntime } from './port-runtime.js';
import { PortStatusBoard } from './port-status-board.js';
import { readQueueState, writeQueueState } from './queue-state.js';
import { type RecoveryContext, recoverJobs, settleUnfinishedJob } from './recovery.js';
import { ServerActivity } from './server-activity.js';
import { UnrecordedEnds } from './unrecorded-ends.js';
import { WebhookSender } from './webhook-sender.js';

export class FaxService {
  readonly config: FaxdConfig;
  readonly hub: EventHub;
  readonly archive: Archive;
  readonly files: DataFiles;
  /** The mail faxd owes: received faxes for lines' routing.email, delivery reports. */
  readonly mail: MailOutbox;
  /** The users and API keys the API authenticates callers with; `keys` follows the keys of open event streams. */
  readonly users: UserStore;
  readonly audit: AuditLog;
  readonly keys: KeyWatch;
  /** Whose each job is, for deciding who hears of its events; whose each line's received faxes are. */
  readonly owners: JobOwners;
  readonly lineOwners: LineOwners;
  /** What GET /metrics exposes, counted from the hub's events and the senders' tries. */
  readonly metrics: FaxdMetrics;
  readonly #clock: Clock;
  readonly #db: FaxdDb;
  readonly #book: JobBook;
  readonly #broadcasts: BroadcastDocuments;
  readonly #ports: readonly PortRuntime[];
  readonly #queue: OutboundQueue;
  readonly #webhooks: WebhookSender;
  readonly #reports: DeliveryReports;
  readonly #conversions = new ConversionThread();
  #queueState: FaxQueueState;
  /** This node among those sharing the store: its lease, and the takeover of lapsed nodes' jobs. */
  #node: ClusterNode | undefined;
  /** On a store several nodes share, where this node writes its ports' activity and reads the others'. */
  readonly #board: PortStatusBoard | undefined;
  readonly #clusterPorts: ClusterPorts;
  readonly #views: JobViews;
  #cancelHousekeeping: (() => void) | undefined;
  #closing = false;
  /** serverActivityChange, announced as calls begin and end and jobs are queued. */
  readonly #activity: ServerActivity;
  /** Jobs whose end the store refused to record, settled once it takes them. */
  readonly #unrecorded: UnrecordedEnds;
  /** The calls this node's lines are offered, and the receptions under way. */
  readonly #calls: CallAnswering;
  /** What a user's operation on a job acts through. */
  readonly #operations: JobOperationContext;

  private constructor(
    config: FaxdConfig,
    db: FaxdDb,
    hub: EventHub,
    ports: readonly PortRuntime[],
    state: FaxQueueState,
    clock: Clock,
  ) {
    this.config = config;
    this.#clock = clock;
    this.#db = db;
    this.hub = hub;
    this.files = new DataFiles(config.dataDir);
    this.users = new UserStore(db);
    this.audit = new AuditLog(db);
    this.keys = new KeyWatch(db, this.users);
    this.lineOwners = new LineOwners(db, config.lines);
    this.owners = new JobOwners(db, this.lineOwners);
    this.#book = new JobBook(db, hub, { nodeId: config.nodeId, lockRows: config.store.kind === 'postgres' });
    this.#broadcasts = new BroadcastDocuments(db, this.files);
    this.#views = new JobViews({ db, book: this.#book, files: this.files, lineOwners: this.lineOwners });
    this.archive = new Archive(db, hub, this.#book, this.files, this.#broadcasts);
    this.#webhooks = new WebhookSender(db);
    this.mail = new MailOutbox(db, config.smtp);
    const announcedRow = (jobId: string) => this.#book.announcedRow(jobId);
    this.#reports = new DeliveryReports(db, this.files, this.mail, { announcedRow });
    this.metrics = FaxdMetrics.ofService({
      db,
      hub,
      clock,
      ports,
      webhooks: this.#webhooks,
      mail: this.mail,
      announcedRow,
    });
    hub.subscribe(FAX_SERVER_EVENTS_TYPE_ENUM.fsetOUT_QUEUE, (event) => this.#reports.onEvent(event));
    this.#ports = ports;
    this.#queueState = state;
    if (config.store.kind === 'postgres')
      this.#board = new PortStatusBoard(db, config.nodeId, clock, reportFaultToStderr);
    this.#clusterPorts = new ClusterPorts({
      nodeId: config.nodeId,
      ports,
      owners: this.owners,
      clock,
      node: () => this.#node,
      board: this.#board,
    });
    this.#activity = new ServerActivity({ db, hub, ports, activeOutgoing: () => this.#queue.activeCount });
    this.#unrecorded = new UnrecordedEnds({
      recovery: this.#recovery(),
      clock,
      onSettled: () => this.#queue.kick(),
    });
    this.#queue = new OutboundQueue({
      db,
      book: this.#book,
      files: this.files,
      config,
      clock,
      ports,
      archive: this.archive,
      queueState: () => this.#queueState,
      leaseHeld: () => this.#leaseHeld(),
      onActivity: () => this.#activity.announce(),
      endNotRecorded: (jobId, claim) => this.#unrecorded.add(jobId, claim),
    });
    this.#calls = new CallAnswering({
      inbound: {
        book: this.#book,
        hub,
        archive: this.archive,
        files: this.files,
        clock,
        webhooks: this.#webhooks,
        mail: this.mail,
        onActivity: () => this.#activity.announce(),
        closing: () => this.#closing,
        leaseHeld: () => this.#leaseHeld(),
      },
      answering: () => !this.#queueState.incomingQueueBlocked,
      endNotRecorded: (jobId, claim) => this.#unrecorded.add(jobId, claim),
      onStored: () => this.#queue.kick(),
    });
    this.#calls.serve(ports);
    this.#operations = {
      views: this.#views,
      lineOwners: this.lineOwners,
      book: this.#book,
      archive: this.archive,
      ports,
      clock,
      hangUp: (jobId) => this.#calls.hangUp(jobId),
      cancelAttempt: (jobId) => this.#queue.cancelAttempt(jobId),
      kick: () => this.#queue.kick(),
    };
  }

  /**
   * Opens the store and the lines; `clock` times the queue (schedules, retries, age limits) and the archive's purge;
   * `tls` is the certificate SIP lines over TLS serve (the `tls` configuration, loaded).
   */
  static async start(config: FaxdConfig, clock: Clock = systemClock, tls?: TlsCredentials): Promise<FaxService> {
    // The data directory exists from the start whatever the store, so the free-space check has a place to measure.
    await mkdir(config.dataDir, { recursive: true });
    const db = await openDatabase(config.store);
    const state = await readQueueState(db);
    // On PostgreSQL, event streams on this node show every node's events (the others may join at any time); the
    // connection that hears them closes with the hub, which every way out of start() from here on closes.
    const hub = await EventHub.open(db, { clock, followOtherNodes: true });
    let ports: PortRuntime[];
    try {
      ports = await openLines(config, (event) => hub.publish(event), tls);
    } catch (error) {
      await hub.close();
      await db.destroy();
      throw error;
    }
    const service = new FaxService(config, db, hub, ports, state, clock);
    try {
      service.#node = await ClusterNode.join({
        db,
        config,
        ports: service.ports(),
        clock: systemClock,
        settle: (row, why) => settleUnfinishedJob(service.#recovery(), row, clock.now(), why),
        onRenewed: () => {
          service.#queue.kick();
          service.#queue
            .followCancels()
            .catch((error: unknown) => reportFaultToStderr('canceled jobs on other nodes could not be read', error));
        },
        onLeaseLost: () => service.#queue.abandonCalls(),
      });
      await service.#board?.post(ports);
      // Before routing is recovered, which may queue mail: a try cut short by the last stop is due again.
      await service.mail.recover();
      await recoverJobs(db, service.#recovery(), clock.now(), config.nodeId);
      await service.#node.takeOverLapsed();
      await service.#reports.sweep();
      // After recovery has settled what it could: a broadcast's fax stays while any of its jobs is queued.
      await service.#broadcasts.sweep();
      await service.archive.purge(config.archiveRetentionDays, new Date(clock.now()));
      await hub.prune(config.events);
    } catch (error) {
      // A store that cannot be brought up to date fails the start; the lines and the store close behind it.
      await service.close();
      throw error;
    }
    service.#cancelHousekeeping = scheduleHousekeeping({ clock, archive: service.archive, hub, config });
    service.#node.start();
    service.#webhooks.wake();
    service.mail.wake();
    service.#queue.kick();
    return service;
  }

  /** This node's ports. */
  ports(): FaxPortInfo[] {
    return this.#clusterPorts.local();
  }

  /** The ports of every live node sharing the store, this node's included, in device id order. */
  clusterPorts(): Promise<FaxPortInfo[]> {
    return this.#clusterPorts.all();
  }

  /** Port `deviceId`, on this node or another live one. */
  port(deviceId: number): Promise<FaxPortInfo> {
    return this.#clusterPorts.port(deviceId);
  }

  /** This node's port `deviceId`'s FaxStatus, as anyone with every right sees it. */
  portStatus(deviceId: number): FaxStatus {
    return this.#port(deviceId).status(this.#clock.now());
  }

  /** Each live port's FaxStatus in port order, as `caller` may see it (auth/port-status-view.ts). */
  allPortStatus(caller: Caller): Promise<FaxStatus[]> {
    return this.#clusterPorts.allStatusSeenBy(caller);
  }

  /** The FaxStatus of port `deviceId`, on this node or another live one, as `caller` may see it. */
  portStatusSeenBy(deviceId: number, caller: Caller): Promise<FaxStatus> {
    return this.#clusterPorts.statusSeenBy(deviceId, caller);
  }

  routingMethods(deviceId: number): FaxRoutingMethod[] {
    return this.#port(deviceId).routingMethods();
  }

  /** A fax to one number (`to`): its job; a broadcast (`recipients`): its id and its jobs' ids in entry order. */
  async submit(request: SubmitJobRequest, caller: Caller): Promise<FaxJob | SubmittedBroadcast> {
    if (this.#closing) throw FaxApiError.of('FAX_ERR_SHUTTING_DOWN', {});
    if (this.#queueState.outgoingQueueBlocked) throw FaxApiError.of('FAX_ERR_QUEUE_BLOCKED', {});
    checkSubmitRight(caller, request.priority);
    // A job for any line needs only some line that sends, and this node's own are among the live ones: the other
    // nodes' lines are read only when a job asks for one by id, or when none of this node's sends.
    const ownLineSends = request.line === undefined && this.config.lines.some((line) => line.send);
    const context = {
      config: this.config,
      files: this.files,
      conversions: this.#conversions,
      now: new Date(this.#clock.now()),
      lines: ownLineSends ? this.config.lines : ((await this.#node?.liveLines()) ?? this.config.lines),
    };
    const submitted = await recordRequest(request, caller.userId, this.#book, context);
    this.#queue.kick();
    this.#activity.announce();
    return submitted;
  }

  /**
   * The fax `documents` would make, rendered as a submission renders them, without queuing or storing anything; with
   * the cover page `cover` asks for ahead of them.
   */
  async preview(documents: SubmitJobRequest['documents'], cover: PreviewCover = {}): Promise<FaxConversion> {
    if (this.#closing) throw FaxApiError.of('FAX_ERR_SHUTTING_DOWN', {});
    if (documents.length === 0) throw FaxApiError.of('FAX_ERR_DOCUMENT_MISSING', {});
    const context = { config: this.config, conversions: this.#conversions, now: new Date(this.#clock.now()) };
    return renderPreview(documents, cover, context);
  }

  broadcast(broadcastId: string, caller: Caller): Promise<FaxBroadcast> {
    return this.#views.broadcast(broadcastId, caller);
  }

  /** Cancels every job of the broadcast that has not ended (service/job-operations.ts). */
  cancelBroadcast(broadcastId: string, caller: Caller): Promise<FaxBroadcast> {
    return cancelBroadcast(this.#operations, broadcastId, caller);
  }

  job(jobId: string, caller: Caller): Promise<FaxJob> {
    return this.#views.job(jobId, caller);
  }

  /** The job's fax as TIFF Class F, while it offers fjoVIEW (service/job-views.ts). */
  jobTiff(jobId: string, caller: Caller): Promise<Uint8Array | undefined> {
    return this.#views.jobTiff(jobId, caller);
  }

  /** The jobs the caller may see (their own, or everyone's with the rights for it). */
  jobs(
    options: { direction?: 'outgoing' | 'incoming'; all?: boolean; broadcast?: string },
    caller: Caller,
  ): Promise<FaxJob[]> {
    return this.#views.jobs(options, caller);
  }

  operate(jobId: string, operation: JobOperation, caller: Caller): Promise<FaxJob> {
    return operateOnJob(this.#operations, jobId, operation, caller);
  }

  /** Resolves once the outbound queue has acted on everything asked of it so far: what a test waits for. */
  queueSettled(): Promise<void> {
    return this.#queue.settled();
  }

  queueState(): FaxQueueState {
    return this.#queueState;
  }

  async setQueueState(change: Partial<FaxQueueState>): Promise<FaxQueueState> {
    this.#queueState = { ...this.#queueState, ...change };
    const state = this.#queueState;
    await writeQueueState(this.#db, state);
    this.hub.publish({ event: 'queuesStatusChange', ...state });
    this.#queue.kick();
    return state;
  }

  /** Stops taking work, ends every call (its job is retried at the next start), and closes the store. */
  async close(): Promise<void> {
    if (this.#closing) return;
    this.#closing = true;
    this.#cancelHousekeeping?.();
    this.metrics.close();
    this.keys.close();
    this.#unrecorded.close();
    await this.#node?.stop();
    await this.#conversions.close();
    await this.#queue.close();
    await this.#webhooks.close();
    await this.mail.close();
    // Closing a line ends its reception; what arrived is stored before the store closes.
    await Promise.all(this.#ports.map((port) => port.line.close()));
    await this.#calls.stored();
    // The lines' last activity changes are still counting jobs: their events go into the log before it closes.
    await this.#activity.announced();
    await this.#board?.written();
    this.hub.publish({ event: 'serverShutDown' });
    await this.hub.close();
    await this.#db.destroy();
  }

  /** Whether this node's lease is surely its own: never before it has joined the nodes sharing the store. */
  #leaseHeld(): boolean {
    return this.#node?.holdsLease() ?? false;
  }

  #port(deviceId: number): PortRuntime {
    return this.#clusterPorts.runtime(deviceId);
  }

  /** What settling an unfinished job needs, a reception's routing included. */
  #recovery(): RecoveryContext {
    const { files, archive } = this;
    const line = (deviceId: number) => this.#ports.find((port) => port.id === deviceId)?.config;
    return { book: this.#book, archive, files, webhooks: this.#webhooks, mail: this.mail, line };
  }
}
