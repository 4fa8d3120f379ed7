"""nbconvert configuration used by `deno task render` (lib/report/render_notebooks.ts).

Works around an output race in the Deno Jupyter kernel (seen with Deno 2.9.6): the kernel can
publish a cell's `execute_result` / `display_data` on IOPub *after* the cell's `status: idle`
message, most often for large outputs such as the inlined plotly.js preamble. nbclient stops
collecting a cell's output at `idle` and drops later messages, so those outputs silently vanish
from the rendered page.

This patch keeps nbclient's behaviour and adds two things:
  * an output message whose parent is an earlier cell of the same notebook is appended to that
    cell instead of being dropped;
  * after the last code cell goes idle, IOPub is drained until it has been quiet for
    LATE_OUTPUT_GRACE_S seconds, so late output of the last cell is kept too.
"""

from queue import Empty

from nbclient import client as _nbclient
from nbclient.exceptions import CellExecutionComplete

LATE_OUTPUT_GRACE_S = 0.5
_OUTPUT_TYPES = {"execute_result", "display_data", "update_display_data", "stream", "error", "clear_output"}


def _route_late(self, msg):
    """Append an output message of an already finished cell to that cell; True if routed."""
    routes = self.__dict__.get("_repro_routes", {})
    target = routes.get(msg["parent_header"].get("msg_id"))
    if target is None or msg["msg_type"] not in _OUTPUT_TYPES:
        return False
    try:
        self.process_message(msg, target[0], target[1])
    except CellExecutionComplete:
        pass
    return True


async def _poll_output_msg(self, parent_msg_id, cell, cell_index):
    routes = self.__dict__.setdefault("_repro_routes", {})
    routes[parent_msg_id] = (cell, cell_index)
    while True:
        msg = await _nbclient.ensure_async(self.kc.iopub_channel.get_msg(timeout=None))
        if msg["parent_header"].get("msg_id") == parent_msg_id:
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        else:
            _route_late(self, msg)
    code_cells = [i for i, c in enumerate(self.nb.cells) if c.get("cell_type") == "code"]
    if code_cells and cell_index == code_cells[-1]:
        while True:
            try:
                msg = await _nbclient.ensure_async(
                    self.kc.iopub_channel.get_msg(timeout=LATE_OUTPUT_GRACE_S)
                )
            except Empty:  # quiet for the whole grace period
                return
            if not _route_late(self, msg) and msg["parent_header"].get("msg_id") == parent_msg_id:
                try:
                    self.process_message(msg, cell, cell_index)
                except CellExecutionComplete:
                    pass


_nbclient.NotebookClient._async_poll_output_msg = _poll_output_msg
