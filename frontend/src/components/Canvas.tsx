import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  Panel,
  ReactFlow,
  applyEdgeChanges,
  applyNodeChanges,
  useReactFlow,
  useStore,
  type Connection,
  type EdgeChange,
  type NodeChange,
  type ReactFlowState,
} from "@xyflow/react";
import {
  memo,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
  type DragEvent,
  type Ref,
} from "react";
import {
  NODE_HEIGHT,
  NODE_WIDTH,
  xcomEdges,
  xcomSignature,
  type FlowEdge,
  type Graph,
  type TaskNode,
} from "../graph/model";
import { isOverview } from "../graph/lod";
import { STATE_COLOURS } from "../graph/states";
import { useStoreVersion } from "../state/keyedStore";
import { runStates } from "../state/stores";
import type { Operator, Problem } from "../types";
import { EdgeOverview } from "./EdgeOverview";
import { edgeTypes } from "./edges";
import { Legend } from "./Legend";
import { nodeTypes } from "./nodes";
import { OPERATOR_DRAG_TYPE } from "./Palette";
import { useOverviewStates } from "./useOverviewStates";

interface Props {
  ref?: Ref<HTMLDivElement>;
  graph: Graph;
  getGraph: () => Graph;
  setLive: (graph: Graph) => void;
  commitLive: () => void;
  onConnect: (source: string, target: string) => void;
  onDropOperator: (operator: Operator, at: { x: number; y: number }) => void;
  generalProblems: Problem[];
}

const defaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 } };
const proOptions = { hideAttribution: false };
const NO_EDGES: FlowEdge[] = [];
const zoomedOut = (s: ReactFlowState) => isOverview(s.transform[2]);

/**
 * Follows `value`, changing at most once per `ms` (the last change always arrives), and never
 * sooner than `lag` after a change, so its re-render never shares a frame with the change itself.
 */
function useThrottled<T>(value: T, ms: number, lag: number): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  useEffect(() => {
    const wait = Math.max(lag, last.current + ms - performance.now());
    const timer = setTimeout(() => {
      last.current = performance.now();
      setShown(value);
    }, wait);
    return () => clearTimeout(timer);
  }, [value, ms, lag]);
  return shown;
}

/**
 * The minimap coloured by run state; only it re-renders when states change, not the canvas,
 * and at most four times a second: redrawing 1,000 minimap boxes for every websocket frame
 * would cost more than the nodes on screen. It follows a change a tenth of a second later, after
 * the canvas has painted it.
 */
function StateMiniMap() {
  const version = useThrottled(useStoreVersion(runStates), 250, 100);
  const nodeColor = useCallback(
    (node: TaskNode) => {
      const state = runStates.get(node.id);
      return state ? STATE_COLOURS[state] : "#c8cfd8";
    },
    // A new function on each state change is what makes the minimap redraw.
    [version],
  );
  return <MiniMap<TaskNode> pannable zoomable nodeColor={nodeColor} />;
}

function CanvasComponent({
  ref,
  graph,
  getGraph,
  setLive,
  commitLive,
  onConnect,
  onDropOperator,
  generalProblems,
}: Props) {
  const flow = useReactFlow();
  const signature = xcomSignature(graph.nodes);
  // Data edges depend only on the xcom_pull lists; rebuilding them on every drag frame would
  // hand React Flow new edge objects 60 times a second.
  const dataEdges = useMemo(() => xcomEdges(graph.nodes), [signature]);
  const edges = useMemo<FlowEdge[]>(() => [...graph.edges, ...dataEdges], [graph.edges, dataEdges]);
  // Zoomed out, React Flow gets no edges: EdgeOverview draws them all as a few SVG paths, and
  // task boxes get their run states from useOverviewStates. Zooming in brings both back.
  const overview = useStore(zoomedOut);

  const onNodesChange = useCallback(
    (changes: NodeChange<TaskNode>[]) => {
      // Removal goes through the editor (Delete key) so it lands in the undo history.
      const kept = changes.filter((c) => c.type !== "remove");
      if (kept.length) {
        const g = getGraph();
        setLive({ ...g, nodes: applyNodeChanges(kept, g.nodes) });
      }
    },
    [getGraph, setLive],
  );

  const onEdgesChange = useCallback(
    (changes: EdgeChange<FlowEdge>[]) => {
      const kept = changes.filter((c) => c.type === "select");
      if (kept.length) {
        const g = getGraph();
        setLive({ ...g, edges: applyEdgeChanges(kept, g.edges) });
      }
    },
    [getGraph, setLive],
  );

  const handleConnect = useCallback(
    (c: Connection) => {
      if (c.source && c.target) onConnect(c.source, c.target);
    },
    [onConnect],
  );

  // While the view moves, the viewport is its own compositor layer, so a pan only shifts
  // pixels already drawn instead of repainting 3,000 edges a frame; it stops being one when the
  // move ends, so the drawing is re-rastered sharp at the new zoom.
  const moving = useRef<HTMLDivElement | null>(null);
  const onMoveStart = useCallback(() => moving.current?.classList.add("moving"), []);
  const onMoveEnd = useCallback(() => moving.current?.classList.remove("moving"), []);
  useOverviewStates(moving);

  const onDragOver = useCallback((e: DragEvent) => {
    if (e.dataTransfer.types.includes(OPERATOR_DRAG_TYPE)) {
      e.preventDefault();
      e.dataTransfer.dropEffect = "move";
    }
  }, []);

  const onDrop = useCallback(
    (e: DragEvent) => {
      const operator = e.dataTransfer.getData(OPERATOR_DRAG_TYPE) as Operator;
      if (!operator) return;
      e.preventDefault();
      const at = flow.screenToFlowPosition({ x: e.clientX, y: e.clientY });
      onDropOperator(operator, {
        x: Math.round(at.x - NODE_WIDTH / 2),
        y: Math.round(at.y - NODE_HEIGHT / 2),
      });
    },
    [flow, onDropOperator],
  );

  return (
    <div
      className="canvas"
      ref={(el) => {
        moving.current = el;
        if (typeof ref === "function") ref(el);
        else if (ref) ref.current = el;
      }}
      data-testid="canvas"
    >
      <ReactFlow<TaskNode, FlowEdge>
        nodes={graph.nodes}
        edges={overview ? NO_EDGES : edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        defaultEdgeOptions={defaultEdgeOptions}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={handleConnect}
        onNodeDragStop={commitLive}
        onSelectionDragStop={commitLive}
        onDragOver={onDragOver}
        onDrop={onDrop}
        onMoveStart={onMoveStart}
        onMoveEnd={onMoveEnd}
        deleteKeyCode={null}
        onlyRenderVisibleElements={!overview}
        minZoom={0.02}
        maxZoom={2}
        proOptions={proOptions}
      >
        {overview ? <EdgeOverview nodes={graph.nodes} edges={edges} /> : null}
        <Background gap={24} />
        <Controls />
        <StateMiniMap />
        <Panel position="top-right">
          <Legend compact />
        </Panel>
        {generalProblems.length ? (
          <Panel position="top-left">
            <ul className="general-problems" data-testid="general-problems">
              {generalProblems.map((p, i) => (
                <li key={i} className={p.severity}>
                  {p.message}
                </li>
              ))}
            </ul>
          </Panel>
        ) : null}
        {graph.nodes.length === 0 ? (
          <Panel position="top-center">
            <div className="empty-hint">
              Click or drag an operator from the left to add the first task.
            </div>
          </Panel>
        ) : null}
      </ReactFlow>
    </div>
  );
}

/** Memoised: a run's status updates re-render the editor but must not re-render 1,000 nodes. */
export const Canvas = memo(CanvasComponent);
