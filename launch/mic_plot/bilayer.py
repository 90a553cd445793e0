"""The bi-layer network of the MIC paper's Fig. 8: users on a top layer over a layer of cascades, the
raw data (left: the follower graph, Σ = I, each user's empirical cascade shares) beside the fitted
model (right: W's strongest edges, cascades placed by Σ with its interactions as arrows, users by
their mixture f_u). Dashed lines link each cascade to the users with its largest baseline μ_u^c (the
most events in it, for the data). Node area grows with events; a user's colour mixes the cascades'
colours by its shares. Coordinates come from `mic layout --out L.h5`; nothing is laid out here."""
import numpy as np

from .common import Hdf5, shorten

NAME = "layout"
HELP = "the bi-layer network, data beside fitted model (Fig. 8)"
LAYOUT = "`mic layout --out`"
LIFT = 1.6       # height of the user layer above the cascade layer
SQUASH = 0.38    # the layers seen at an angle: y shrinks
SKEW = 0.25      # … and leans


def add_arguments(p):
    p.add_argument("--layout", required=True, metavar="L.h5", help="output of mic layout")
    p.add_argument("--max-size", type=float, default=260, help="area (points²) of the largest user node")


def project(xy, layer):
    """Plane coordinates of a layer → page coordinates of the oblique view."""
    xy = np.asarray(xy, dtype=float).reshape(-1, 2)
    return np.column_stack([xy[:, 0] + SKEW * xy[:, 1], SQUASH * xy[:, 1] + LIFT * layer])


def cascade_colours(C):
    import matplotlib.pyplot as plt

    cmap = plt.get_cmap("tab10" if C <= 10 else "tab20")
    return np.array([cmap(c % cmap.N)[:3] for c in range(C)])


def read_panel(h5, group):
    p = {k: h5.array(f"{group}/{k}") for k in (
        "cascade_xy", "user_xy", "user_mixture", "user_size", "cascade_size", "user_edges", "user_edge_weight",
        "cascade_edges", "cascade_edge_weight", "links", "link_weight")}
    p["user_colour"] = np.clip(p["user_mixture"] @ cascade_colours(p["cascade_xy"].shape[0]), 0, 1)
    return p


def plane(ax, layer, label):
    corners = project([[-1.3, -1.3], [1.3, -1.3], [1.3, 1.3], [-1.3, 1.3]], layer)
    ax.fill(corners[:, 0], corners[:, 1], color="0.93", zorder=0)
    ax.text(corners[1, 0] + 0.05, corners[1, 1], label, fontsize=10, color="0.35", va="bottom")


def draw_panel(ax, p, title, max_size):
    import networkx as nx
    from matplotlib.collections import LineCollection

    C, U = p["cascade_xy"].shape[0], p["user_xy"].shape[0]
    cascades, users = project(p["cascade_xy"], 0), project(p["user_xy"], 1)
    plane(ax, 0, "cascades")
    plane(ax, 1, "users")
    # Cross-layer links, under everything else.
    if len(p["links"]):
        segments = [[cascades[c], users[u]] for c, u in p["links"]]
        ax.add_collection(LineCollection(segments, colors="0.45", linestyles="dashed", linewidths=0.7, zorder=1))
    # Cascade layer: σ_sc as arrows s → c, width growing with σ_sc.
    colours = cascade_colours(C)
    g = nx.DiGraph()
    g.add_nodes_from(range(C))
    g.add_weighted_edges_from((int(s), int(c), float(w)) for (s, c), w in zip(p["cascade_edges"], p["cascade_edge_weight"]))
    cascade_pos = {c: cascades[c] for c in range(C)}
    if g.number_of_edges():
        widths = [0.8 + 3.5 * g[s][c]["weight"] for s, c in g.edges()]
        nx.draw_networkx_edges(g, cascade_pos, ax=ax, width=widths, edge_color="0.25", arrowsize=14,
                               connectionstyle="arc3,rad=0.15", node_size=600)
    size = p["cascade_size"] / max(p["cascade_size"].max(), 1e-300)
    ax.scatter(cascades[:, 0], cascades[:, 1], s=100 + 450 * size, c=colours, edgecolors="black", linewidths=0.8, zorder=3)
    for c in range(C):
        ax.annotate(f"c{c}", cascades[c], ha="center", va="center", fontsize=9, fontweight="bold", zorder=4)
    # User layer: edges, then nodes coloured by their mixture.
    h = nx.Graph()
    h.add_nodes_from(range(U))
    h.add_edges_from((int(v), int(u)) for v, u in p["user_edges"])
    if h.number_of_edges():
        weight = p["user_edge_weight"] / max(p["user_edge_weight"].max(), 1e-300)
        nx.draw_networkx_edges(h, {u: users[u] for u in range(U)}, ax=ax, edgelist=[(int(v), int(u)) for v, u in p["user_edges"]],
                               width=0.3 + 1.2 * weight, edge_color="0.55", alpha=0.5)
    size = p["user_size"] / max(p["user_size"].max(), 1e-300)
    ax.scatter(users[:, 0], users[:, 1], s=8 + max_size * size, c=p["user_colour"], edgecolors="0.2", linewidths=0.4, zorder=3)
    ax.set_title(title)
    ax.set_aspect("equal")
    ax.axis("off")
    return {"cascade_xy": p["cascade_xy"], "user_xy": p["user_xy"], "user_size": p["user_size"],
            "cascade_size": p["cascade_size"], "user_colour": p["user_colour"], "user_edges": p["user_edges"],
            "cascade_edges": p["cascade_edges"], "cascade_edge_weight": p["cascade_edge_weight"], "links": p["links"]}


def draw(args):
    import matplotlib.pyplot as plt
    from matplotlib.patches import Patch

    h5 = Hdf5(args.layout, LAYOUT)
    h5.require_attr("mic_layout_format")
    panels = [("/data", "data: follower graph, Σ = I, event shares")] if h5.has("/data") else []
    model, beta, tau = h5.attr("model"), h5.attr("beta"), h5.attr("tau")
    panels.append(("/model", f"fitted {model} (β = {beta:g}, τ = {tau:g}): W, Σ, $f_u$"))
    fig, axes = plt.subplots(1, len(panels), figsize=(6.5 * len(panels), 6.2), squeeze=False)
    plotted = {"panels": {}}
    for ax, (group, title) in zip(axes[0], panels):
        plotted["panels"][group.strip("/")] = draw_panel(ax, read_panel(h5, group), title, args.max_size)
    C = h5.array("/model/cascade_xy").shape[0]
    # Nodes carry c0, c1, …; the legend names them as the dataset does (hashtags) when the layout has names.
    names = h5.cascade_names(C)
    handles = [Patch(color=colour, label=f"c{c}: {shorten(names[c])}" if names else f"cascade c{c}")
               for c, colour in enumerate(cascade_colours(C)[:20])]
    if C > len(handles):
        handles.append(Patch(color="none", label=f"… and {C - len(handles)} more (c{len(handles)}–c{C - 1})"))
    plotted["cascade_labels"] = [h.get_label() for h in handles]
    # Beside the panels, not over them: inside an axis it hid the nodes under it.
    axes[0, -1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.0, 1.0), ncol=1 if C <= 10 else 2,
                       fontsize=9, frameon=False)
    fig.text(0.5, 0.0, f"node area ∝ {h5.attr('size_source')}; user colour = its cascade shares mixing the cascade "
             f"colours (model: {h5.attr('mixture_method')}); dashed: the largest $\\mu_u^c$ of each cascade "
             f"(data: most events); ρ(W)·τ = {h5.attr('rho_tau'):.3g}", ha="center", va="top", fontsize=9, color="0.3")
    return fig, plotted
