<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
  <context>
    <name>gisapp</name>
    <message>
      <source>More options</source>
      <translation>更多选项</translation>
    </message>
    <message>
      <source>Run</source>
      <translation>运行</translation>
    </message>
    <message>
      <source>Run the analysis on the incidents the current filter keeps</source>
      <translation>对当前筛选保留的警情运行分析</translation>
    </message>
    <message>
      <source>Cancel</source>
      <translation>取消</translation>
    </message>
    <message>
      <source>Stop the running analysis; nothing is added</source>
      <translation>停止正在运行的分析，不添加任何结果</translation>
    </message>
    <message>
      <source>Close</source>
      <translation>关闭</translation>
    </message>
    <message>
      <source>Pick on the map</source>
      <translation>在地图上选取</translation>
    </message>
    <message>
      <source>Click the map to set this point; Esc cancels</source>
      <translation>在地图上点击以设置此点；按 Esc 取消</translation>
    </message>
    <message>
      <source>none (all incidents)</source>
      <translation>无（全部警情）</translation>
    </message>
    <message>
      <source>Starting…</source>
      <translation>正在启动…</translation>
    </message>
    <message>
      <source>Cancelled: nothing was added.</source>
      <translation>已取消：未添加任何结果。</translation>
    </message>
    <message>
      <source>Click the map to set {name}; Esc cancels</source>
      <translation>在地图上点击以设置{name}；按 Esc 取消</translation>
    </message>
    <message>
      <source>Cancelling…</source>
      <translation>正在取消…</translation>
    </message>
    <message>
      <source>Running {title}…</source>
      <translation>正在运行{title}…</translation>
    </message>
    <message>
      <source>{title} failed: {error}</source>
      <translation>{title}失败：{error}</translation>
    </message>
    <message>
      <source>Filter: {filter}</source>
      <translation>筛选条件：{filter}</translation>
    </message>
    <message>
      <source>Done: {summary}</source>
      <translation>完成：{summary}</translation>
    </message>
    <message>
      <source>{title} failed</source>
      <translation>{title}失败</translation>
    </message>
    <message>
      <source>{title} cancelled</source>
      <translation>{title}已取消</translation>
    </message>
    <message>
      <source>File…</source>
      <translation>文件…</translation>
    </message>
    <message>
      <source>Layer files (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx)</source>
      <translation>图层文件 (*.gpkg *.geojson *.json *.shp *.zip *.csv *.xlsx)</translation>
    </message>
    <message>
      <source>gisapp found an autosaved untitled project, probably left by a crash. Recover it?</source>
      <translation>gisapp 发现了一个自动保存的未命名项目，可能是上次异常退出时留下的。要恢复吗？</translation>
    </message>
    <message>
      <source>Search all columns…</source>
      <translation>在所有列中搜索…</translation>
    </message>
    <message>
      <source>Selected only</source>
      <translation>仅显示所选</translation>
    </message>
    <message>
      <source>Zoom to selection</source>
      <translation>缩放至所选要素</translation>
    </message>
    <message>
      <source>Clear selection</source>
      <translation>清除选择</translation>
    </message>
    <message>
      <source>Export selection</source>
      <translation>导出所选</translation>
    </message>
    <message>
      <source>CSV (Excel, UTF-8)…</source>
      <translation>CSV（Excel，UTF-8）…</translation>
    </message>
    <message>
      <source>GeoPackage…</source>
      <translation>GeoPackage…</translation>
    </message>
    <message>
      <source>CSV files (*.csv)</source>
      <translation>CSV 文件 (*.csv)</translation>
    </message>
    <message>
      <source>GeoPackage (*.gpkg)</source>
      <translation>GeoPackage (*.gpkg)</translation>
    </message>
    <message>
      <source>Layer</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>{shown:,} of {total:,} rows, {selected:,} selected</source>
      <translation>显示 {shown:,} / {total:,} 行，已选 {selected:,} 行</translation>
    </message>
    <message>
      <source>Exported {n:,} features to {path}</source>
      <translation>已导出 {n:,} 个要素到 {path}</translation>
    </message>
    <message>
      <source>Camera online</source>
      <translation>在线摄像机</translation>
    </message>
    <message>
      <source>Camera offline</source>
      <translation>离线摄像机</translation>
    </message>
    <message>
      <source>Camera</source>
      <translation>摄像机</translation>
    </message>
    <message>
      <source>Add a layer (File ▸ Add layer) or drop files here</source>
      <translation>添加图层（文件 ▸ 添加图层）或将文件拖到此处</translation>
    </message>
    <message>
      <source>{name} cannot be shown: {error}</source>
      <translation>{name} 无法显示：{error}</translation>
    </message>
    <message>
      <source>{name} has no features to zoom to.</source>
      <translation>{name} 没有要素，无法缩放。</translation>
    </message>
    <message>
      <source>Hour × weekday</source>
      <translation>小时 × 星期</translation>
    </message>
    <message>
      <source>Monthly trend by category</source>
      <translation>分类别月度趋势</translation>
    </message>
    <message>
      <source>Near-repeat Knox table</source>
      <translation>近重复 Knox 表</translation>
    </message>
    <message>
      <source>Evaluation curve (hit rate, PAI)</source>
      <translation>评估曲线（命中率、PAI）</translation>
    </message>
    <message>
      <source>No incident layer</source>
      <translation>没有警情图层</translation>
    </message>
    <message>
      <source>Which chart to draw</source>
      <translation>要绘制的图表</translation>
    </message>
    <message>
      <source>Copy</source>
      <translation>复制</translation>
    </message>
    <message>
      <source>Copy the chart to the clipboard as an image</source>
      <translation>把图表作为图片复制到剪贴板</translation>
    </message>
    <message>
      <source>Export PNG…</source>
      <translation>导出 PNG…</translation>
    </message>
    <message>
      <source>Save the chart as a PNG file</source>
      <translation>把图表保存为 PNG 文件</translation>
    </message>
    <message>
      <source>Curve of the latest forecast evaluation</source>
      <translation>最近一次预测评估的曲线</translation>
    </message>
    <message>
      <source>Export chart</source>
      <translation>导出图表</translation>
    </message>
    <message>
      <source>Charts</source>
      <translation>图表</translation>
    </message>
    <message>
      <source>all {n:,} incidents</source>
      <translation>全部 {n:,} 起警情</translation>
    </message>
    <message>
      <source>Knox table of the latest near-repeat result</source>
      <translation>最近一次近重复分析的 Knox 表</translation>
    </message>
    <message>
      <source>Run the forecast evaluation first (Analysis ▸ Forecast evaluation).</source>
      <translation>请先运行预测评估（分析 ▸ 预测评估）。</translation>
    </message>
    <message>
      <source>{n:,} selected incidents</source>
      <translation>选中的 {n:,} 起警情</translation>
    </message>
    <message>
      <source>{n:,} incidents the filter keeps</source>
      <translation>筛选保留的 {n:,} 起警情</translation>
    </message>
    <message>
      <source>No incidents to chart.</source>
      <translation>没有可绘制的警情。</translation>
    </message>
    <message>
      <source>Run the near-repeat analysis first (Analysis ▸ Near repeat).</source>
      <translation>请先运行近重复分析（分析 ▸ 近重复）。</translation>
    </message>
    <message>
      <source>incidents in {names}</source>
      <translation>{names} 内的警情</translation>
    </message>
    <message>
      <source>gisapp</source>
      <translation>gisapp</translation>
    </message>
    <message>
      <source>Market (市场)</source>
      <translation>市场</translation>
    </message>
    <message>
      <source>Urban fringe (城乡结合部)</source>
      <translation>城乡结合部</translation>
    </message>
    <message>
      <source>School</source>
      <translation>学校</translation>
    </message>
    <message>
      <source>Study area</source>
      <translation>研究区域</translation>
    </message>
    <message>
      <source>&amp;Undo</source>
      <translation>撤销(&amp;U)</translation>
    </message>
    <message>
      <source>Undo the last edit (Ctrl+Z)</source>
      <translation>撤销上一步编辑（Ctrl+Z）</translation>
    </message>
    <message>
      <source>&amp;Redo</source>
      <translation>重做(&amp;R)</translation>
    </message>
    <message>
      <source>Redo the edit just undone (Ctrl+Y)</source>
      <translation>重做刚撤销的编辑（Ctrl+Y）</translation>
    </message>
    <message>
      <source>Delete selected features</source>
      <translation>删除选中要素</translation>
    </message>
    <message>
      <source>Delete the selected routes, cameras or areas (undoable)</source>
      <translation>删除选中的路线、摄像头或区域（可撤销）</translation>
    </message>
    <message>
      <source>Snap routes to roads</source>
      <translation>路线吸附道路</translation>
    </message>
    <message>
      <source>Route between clicks along the road network</source>
      <translation>两次点击之间沿路网连线</translation>
    </message>
    <message>
      <source>Area type</source>
      <translation>区域类型</translation>
    </message>
    <message>
      <source>Drawing</source>
      <translation>绘制</translation>
    </message>
    <message>
      <source>Delete features</source>
      <translation>删除要素</translation>
    </message>
    <message>
      <source>Draw patrol route</source>
      <translation>绘制巡逻路线</translation>
    </message>
    <message>
      <source>Click vertices, double-click to finish; drag a vertex to move it, right-click deletes it</source>
      <translation>单击添加节点，双击结束；拖动节点可移动，右键删除节点</translation>
    </message>
    <message>
      <source>Place camera</source>
      <translation>放置摄像头</translation>
    </message>
    <message>
      <source>Click to place a camera, drag to set its heading</source>
      <translation>单击放置摄像头，拖动设置朝向</translation>
    </message>
    <message>
      <source>Draw area</source>
      <translation>绘制区域</translation>
    </message>
    <message>
      <source>Draw a market, urban-fringe or study-area polygon</source>
      <translation>绘制市场、城乡结合部或研究区域多边形</translation>
    </message>
    <message>
      <source>Measure</source>
      <translation>量算</translation>
    </message>
    <message>
      <source>Measure a distance, or an area with three or more points</source>
      <translation>量算距离；三个及以上点时同时量算面积</translation>
    </message>
    <message>
      <source>Areas drawn next get this type</source>
      <translation>之后绘制的区域使用此类型</translation>
    </message>
    <message>
      <source>Identify</source>
      <translation>识别</translation>
    </message>
    <message>
      <source>Zoom to feature</source>
      <translation>缩放到要素</translation>
    </message>
    <message>
      <source>Charts for the selection</source>
      <translation>选中要素的图表</translation>
    </message>
    <message>
      <source>Zoom to all layers</source>
      <translation>全图显示</translation>
    </message>
    <message>
      <source>Delete feature</source>
      <translation>删除要素</translation>
    </message>
    <message>
      <source>Incidents</source>
      <translation>警情</translation>
    </message>
    <message>
      <source>Hotspot cells</source>
      <translation>热点格网</translation>
    </message>
    <message>
      <source>Hotspot zones</source>
      <translation>热点区</translation>
    </message>
    <message>
      <source>Grid cells (网格)</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Areas</source>
      <translation>重点区域</translation>
    </message>
    <message>
      <source>Cameras</source>
      <translation>天网摄像机</translation>
    </message>
    <message>
      <source>Camera coverage</source>
      <translation>监控覆盖</translation>
    </message>
    <message>
      <source>Blind spots</source>
      <translation>监控盲区</translation>
    </message>
    <message>
      <source>Patrol routes</source>
      <translation>巡逻路线</translation>
    </message>
    <message>
      <source>Planned patrol route</source>
      <translation>计划巡逻路线</translation>
    </message>
    <message>
      <source>Planned stops</source>
      <translation>计划停靠点</translation>
    </message>
    <message>
      <source>Roads</source>
      <translation>道路</translation>
    </message>
    <message>
      <source>Density (KDE)</source>
      <translation>核密度（KDE）</translation>
    </message>
    <message>
      <source>Cluster hulls</source>
      <translation>聚类凸包</translation>
    </message>
    <message>
      <source>Clustered incidents</source>
      <translation>聚类警情点</translation>
    </message>
    <message>
      <source>Title printed at the top</source>
      <translation>印在顶部的标题</translation>
    </message>
    <message>
      <source>Title</source>
      <translation>标题</translation>
    </message>
    <message>
      <source>Layers to include</source>
      <translation>要包含的图层</translation>
    </message>
    <message>
      <source>Layers</source>
      <translation>图层</translation>
    </message>
    <message>
      <source>File to write</source>
      <translation>要写入的文件</translation>
    </message>
    <message>
      <source>Browse…</source>
      <translation>浏览…</translation>
    </message>
    <message>
      <source>Choose where to write the file</source>
      <translation>选择文件保存位置</translation>
    </message>
    <message>
      <source>File</source>
      <translation>文件</translation>
    </message>
    <message>
      <source>Export</source>
      <translation>导出</translation>
    </message>
    <message>
      <source>Write the file with the current filter</source>
      <translation>按当前筛选条件写出文件</translation>
    </message>
    <message>
      <source>Export briefing</source>
      <translation>导出简报</translation>
    </message>
    <message>
      <source>Incident fields shown in the pop-ups, comma-separated</source>
      <translation>弹窗中显示的警情字段，逗号分隔</translation>
    </message>
    <message>
      <source>Public version</source>
      <translation>公开版</translation>
    </message>
    <message>
      <source>Aggregated layers only: no incident points, no personal data, counts under 3 suppressed</source>
      <translation>仅汇总图层：不含警情点和个人信息，少于 3 起的数字隐去</translation>
    </message>
    <message>
      <source>Fields</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Print map</source>
      <translation>打印地图</translation>
    </message>
    <message>
      <source>Paper size</source>
      <translation>纸张大小</translation>
    </message>
    <message>
      <source>Landscape</source>
      <translation>横向</translation>
    </message>
    <message>
      <source>Portrait</source>
      <translation>纵向</translation>
    </message>
    <message>
      <source>Page orientation</source>
      <translation>页面方向</translation>
    </message>
    <message>
      <source>Classification line printed on the page (empty: none)</source>
      <translation>印在页面上的密级标注（留空则不印）</translation>
    </message>
    <message>
      <source>Paper</source>
      <translation>纸张</translation>
    </message>
    <message>
      <source>Orientation</source>
      <translation>方向</translation>
    </message>
    <message>
      <source>Classification</source>
      <translation>密级</translation>
    </message>
    <message>
      <source>Preview not drawn yet</source>
      <translation>尚未生成预览</translation>
    </message>
    <message>
      <source>Preview</source>
      <translation>预览</translation>
    </message>
    <message>
      <source>Draw the page to check the layout; zoom with the wheel, drag to pan</source>
      <translation>绘制页面检查版式；滚轮缩放，拖动平移</translation>
    </message>
    <message>
      <source>制图单位: the unit that made the map</source>
      <translation>制图单位：制作本图的单位</translation>
    </message>
    <message>
      <source>审核人: who checked the map</source>
      <translation>审核人：审核本图的人员</translation>
    </message>
    <message>
      <source>today</source>
      <translation>今天</translation>
    </message>
    <message>
      <source>制图日期 (empty: today)</source>
      <translation>制图日期（留空为今天）</translation>
    </message>
    <message>
      <source>automatic, e.g. 25000 for 1:25,000</source>
      <translation>自动；如 25000 表示 1:25,000</translation>
    </message>
    <message>
      <source>Print at this scale (1:N); empty: the first round scale that shows the hotspots</source>
      <translation>按此比例尺（1:N）打印；留空则取能显示全部热点的最近整数比例尺</translation>
    </message>
    <message>
      <source>Data source printed in the footer (empty: the project's file name)</source>
      <translation>页脚的数据来源（留空为项目文件名）</translation>
    </message>
    <message>
      <source>Remember these fields for later prints</source>
      <translation>保存以上信息供以后打印使用</translation>
    </message>
    <message>
      <source>Drawing the preview…</source>
      <translation>正在生成预览…</translation>
    </message>
    <message>
      <source>Wheel or +/− to zoom, drag to pan</source>
      <translation>滚轮或 +/− 缩放，拖动平移</translation>
    </message>
    <message>
      <source>Untitled</source>
      <translation>未命名</translation>
    </message>
    <message>
      <source>Zoom in</source>
      <translation>放大</translation>
    </message>
    <message>
      <source>Zoom out</source>
      <translation>缩小</translation>
    </message>
    <message>
      <source>Fit</source>
      <translation>适合页面</translation>
    </message>
    <message>
      <source>Show the whole page</source>
      <translation>显示整页</translation>
    </message>
    <message>
      <source>Made by (制图单位)</source>
      <translation>制图单位</translation>
    </message>
    <message>
      <source>Reviewed by (审核人)</source>
      <translation>审核人</translation>
    </message>
    <message>
      <source>Date (制图日期)</source>
      <translation>制图日期</translation>
    </message>
    <message>
      <source>Scale 1:</source>
      <translation>比例尺 1:</translation>
    </message>
    <message>
      <source>Data source</source>
      <translation>数据来源</translation>
    </message>
    <message>
      <source>Writing {path}…</source>
      <translation>正在写入 {path}…</translation>
    </message>
    <message>
      <source>Export failed: {error}</source>
      <translation>导出失败：{error}</translation>
    </message>
    <message>
      <source>Wrote {path}</source>
      <translation>已写入 {path}</translation>
    </message>
    <message>
      <source>Wrote {path}. Open it now?</source>
      <translation>已写入 {path}。现在打开吗？</translation>
    </message>
    <message>
      <source>Mon</source>
      <translation>一</translation>
    </message>
    <message>
      <source>Tue</source>
      <translation>二</translation>
    </message>
    <message>
      <source>Wed</source>
      <translation>三</translation>
    </message>
    <message>
      <source>Thu</source>
      <translation>四</translation>
    </message>
    <message>
      <source>Fri</source>
      <translation>五</translation>
    </message>
    <message>
      <source>Sat</source>
      <translation>六</translation>
    </message>
    <message>
      <source>Sun</source>
      <translation>日</translation>
    </message>
    <message>
      <source>Date</source>
      <translation>日期</translation>
    </message>
    <message>
      <source>Hours</source>
      <translation>时段</translation>
    </message>
    <message>
      <source>From this hour (inclusive); a start after the end wraps midnight, e.g. 22–6</source>
      <translation>起始小时（含）；起始晚于结束表示跨午夜，如 22–6</translation>
    </message>
    <message>
      <source>To this hour (exclusive)</source>
      <translation>结束小时（不含）</translation>
    </message>
    <message>
      <source>Clear every filter</source>
      <translation>清除全部筛选</translation>
    </message>
    <message>
      <source>All categories</source>
      <translation>全部类别</translation>
    </message>
    <message>
      <source> h</source>
      <translation> 时</translation>
    </message>
    <message>
      <source>Only incidents on the checked weekdays (none checked: every day)</source>
      <translation>只显示选中星期的警情（都不选：每天）</translation>
    </message>
    <message>
      <source>Area</source>
      <translation>区域</translation>
    </message>
    <message>
      <source>All areas</source>
      <translation>全部区域</translation>
    </message>
    <message>
      <source>{n} categories</source>
      <translation>{n} 个类别</translation>
    </message>
    <message>
      <source>{total:,} incidents</source>
      <translation>共 {total:,} 起警情</translation>
    </message>
    <message>
      <source>&lt;b&gt;{shown:,}&lt;/b&gt; of {total:,} incidents</source>
      <translation>显示 &lt;b&gt;{shown:,}&lt;/b&gt; / {total:,} 起警情</translation>
    </message>
    <message>
      <source>Row</source>
      <translation>行号</translation>
    </message>
    <message>
      <source>Address</source>
      <translation>地址</translation>
    </message>
    <message>
      <source>Level</source>
      <translation>级别</translation>
    </message>
    <message>
      <source>Score</source>
      <translation>得分</translation>
    </message>
    <message>
      <source>Match or reason</source>
      <translation>匹配或原因</translation>
    </message>
    <message>
      <source>Candidates</source>
      <translation>候选数</translation>
    </message>
    <message>
      <source>Use candidate</source>
      <translation>采用候选</translation>
    </message>
    <message>
      <source>Place on map…</source>
      <translation>在地图上点选…</translation>
    </message>
    <message>
      <source>Click the map where the row belongs; Esc cancels</source>
      <translation>在地图上点击该记录所在位置；按 Esc 取消</translation>
    </message>
    <message>
      <source>placed by hand</source>
      <translation>人工定位</translation>
    </message>
    <message>
      <source>Candidate:</source>
      <translation>候选：</translation>
    </message>
    <message>
      <source>Review address matches: {name}</source>
      <translation>校对地址匹配：{name}</translation>
    </message>
    <message>
      <source>{placed} of {total} rows placed; {review} to review</source>
      <translation>已定位 {placed} / {total} 行；待校对 {review} 行</translation>
    </message>
    <message>
      <source>Place address</source>
      <translation>定位地址</translation>
    </message>
    <message>
      <source>{n} rows placed and remembered for next time</source>
      <translation>已定位 {n} 行，并记住以便下次沿用</translation>
    </message>
    <message>
      <source>(not used)</source>
      <translation>（不使用）</translation>
    </message>
    <message>
      <source>Longitude / X</source>
      <translation>经度 / X</translation>
    </message>
    <message>
      <source>Latitude / Y</source>
      <translation>纬度 / Y</translation>
    </message>
    <message>
      <source>Both coordinates in one column</source>
      <translation>一列中的两个坐标</translation>
    </message>
    <message>
      <source>Time of occurrence</source>
      <translation>发案时间</translation>
    </message>
    <message>
      <source>Date (with a time column)</source>
      <translation>日期（另有时间列）</translation>
    </message>
    <message>
      <source>Time of day (with a date column)</source>
      <translation>时刻（另有日期列）</translation>
    </message>
    <message>
      <source>Case number</source>
      <translation>案件编号</translation>
    </message>
    <message>
      <source>Category</source>
      <translation>案件类别</translation>
    </message>
    <message>
      <source>Subcategory</source>
      <translation>案件细类</translation>
    </message>
    <message>
      <source>Police unit</source>
      <translation>处警单位</translation>
    </message>
    <message>
      <source>Reporter</source>
      <translation>报警人</translation>
    </message>
    <message>
      <source>Status</source>
      <translation>状态</translation>
    </message>
    <message>
      <source>Description</source>
      <translation>简要案情</translation>
    </message>
    <message>
      <source>Grid number</source>
      <translation>网格编号</translation>
    </message>
    <message>
      <source>Camera number</source>
      <translation>点位编号</translation>
    </message>
    <message>
      <source>Camera kind</source>
      <translation>设备类型</translation>
    </message>
    <message>
      <source>Heading (°)</source>
      <translation>朝向（°）</translation>
    </message>
    <message>
      <source>Field of view (°)</source>
      <translation>视场角（°）</translation>
    </message>
    <message>
      <source>Range (m)</source>
      <translation>覆盖距离（米）</translation>
    </message>
    <message>
      <source>Name</source>
      <translation>名称</translation>
    </message>
    <message>
      <source>detect from the file</source>
      <translation>从文件识别</translation>
    </message>
    <message>
      <source>WGS 84 (GPS degrees)</source>
      <translation>WGS 84（GPS 经纬度）</translation>
    </message>
    <message>
      <source>CGCS2000 degrees</source>
      <translation>CGCS2000 经纬度</translation>
    </message>
    <message>
      <source>GCJ-02 (Amap, Tencent)</source>
      <translation>GCJ-02（高德、腾讯）</translation>
    </message>
    <message>
      <source>BD-09 (Baidu)</source>
      <translation>BD-09（百度）</translation>
    </message>
    <message>
      <source>local metres (not georeferenced)</source>
      <translation>本地米制坐标（未地理配准）</translation>
    </message>
    <message>
      <source>detect</source>
      <translation>自动识别</translation>
    </message>
    <message>
      <source>x = longitude</source>
      <translation>x = 经度</translation>
    </message>
    <message>
      <source>x = easting (GIS order)</source>
      <translation>x = 东坐标（GIS 顺序）</translation>
    </message>
    <message>
      <source>surveying order (X = northing), swapped</source>
      <translation>测量顺序（X = 北坐标），已对调</translation>
    </message>
    <message>
      <source>No coordinates (kept for address matching)</source>
      <translation>无坐标（保留以便地址匹配）</translation>
    </message>
    <message>
      <source>Unreadable or impossible coordinates</source>
      <translation>无法读取或不可能的坐标</translation>
    </message>
    <message>
      <source>Placeholder coordinates (0, 0)</source>
      <translation>占位坐标 (0, 0)</translation>
    </message>
    <message>
      <source>Outside the coordinate system's area or China</source>
      <translation>超出坐标系适用范围或中国境外</translation>
    </message>
    <message>
      <source>Total, subtotal or signature rows</source>
      <translation>合计、小计或签名行</translation>
    </message>
    <message>
      <source>Invalid geometry</source>
      <translation>无效几何</translation>
    </message>
    <message>
      <source>No geometry</source>
      <translation>无几何</translation>
    </message>
    <message>
      <source>Wrong geometry type</source>
      <translation>几何类型不符</translation>
    </message>
    <message>
      <source>Wrong number of fields</source>
      <translation>字段数不符</translation>
    </message>
    <message>
      <source>Bytes in another encoding</source>
      <translation>其他编码的字节</translation>
    </message>
    <message>
      <source>Other</source>
      <translation>其他</translation>
    </message>
    <message>
      <source>China</source>
      <translation>中国</translation>
    </message>
    <message>
      <source>The file's own coordinate system: choose one, or type an EPSG code such as EPSG:4544</source>
      <translation>文件本身的坐标系：从列表选择，或输入 EPSG 代码，例如 EPSG:4544</translation>
    </message>
    <message>
      <source>Header row</source>
      <translation>表头行</translation>
    </message>
    <message>
      <source>Sheet</source>
      <translation>工作表</translation>
    </message>
    <message>
      <source>Encoding</source>
      <translation>编码</translation>
    </message>
    <message>
      <source>Coordinate system</source>
      <translation>坐标系</translation>
    </message>
    <message>
      <source>Layer kind</source>
      <translation>图层类型</translation>
    </message>
    <message>
      <source>First rows</source>
      <translation>前几行</translation>
    </message>
    <message>
      <source>Rejected rows</source>
      <translation>被拒绝的行</translation>
    </message>
    <message>
      <source>Load</source>
      <translation>加载</translation>
    </message>
    <message>
      <source>Apply choices</source>
      <translation>应用选择</translation>
    </message>
    <message>
      <source>Read the file again with the choices above</source>
      <translation>按上面的选择重新读取文件</translation>
    </message>
    <message>
      <source>No points to show</source>
      <translation>没有可显示的点</translation>
    </message>
    <message>
      <source>Column</source>
      <translation>列</translation>
    </message>
    <message>
      <source>Role</source>
      <translation>用途</translation>
    </message>
    <message>
      <source>Reason</source>
      <translation>原因</translation>
    </message>
    <message>
      <source>Cells in the file</source>
      <translation>文件中的单元格</translation>
    </message>
    <message>
      <source>{west:.3f}–{east:.3f}°E, {south:.3f}–{north:.3f}°N</source>
      <translation>东经 {west:.3f}–{east:.3f}°，北纬 {south:.3f}–{north:.3f}°</translation>
    </message>
    <message>
      <source>Import preview — {name}</source>
      <translation>导入预览 — {name}</translation>
    </message>
    <message>
      <source>Reading {name}…</source>
      <translation>正在读取 {name}…</translation>
    </message>
    <message>
      <source>Cannot load with these choices: {error}</source>
      <translation>按这些选择无法加载：{error}</translation>
    </message>
    <message>
      <source>Rejected rows ({n:,})</source>
      <translation>被拒绝的行（{n:,}）</translation>
    </message>
    <message>
      <source>The positions are in local metres: they are not georeferenced and show on no basemap.</source>
      <translation>位置为本地米制坐标：未地理配准，不显示在底图上。</translation>
    </message>
    <message>
      <source>{loaded:,} of {read:,} rows load; {rejected:,} rejected; {untimed:,} without a time</source>
      <translation>共 {read:,} 行，加载 {loaded:,} 行；拒绝 {rejected:,} 行；{untimed:,} 行无时间</translation>
    </message>
    <message>
      <source>, zone {zone} ({width}°)</source>
      <translation>，第 {zone} 带（{width}° 带）</translation>
    </message>
    <message>
      <source>detect (row {n})</source>
      <translation>自动识别（第 {n} 行）</translation>
    </message>
    <message>
      <source>Coordinates: {crs}, {order}</source>
      <translation>坐标：{crs}，{order}</translation>
    </message>
    <message>
      <source>Encoding: {encoding}</source>
      <translation>编码：{encoding}</translation>
    </message>
    <message>
      <source>Header on row {n}</source>
      <translation>表头在第 {n} 行</translation>
    </message>
    <message>
      <source>row {n}: {reason}</source>
      <translation>第 {n} 行：{reason}</translation>
    </message>
    <message>
      <source>; title rows {rows} skipped</source>
      <translation>；跳过标题行 {rows}</translation>
    </message>
    <message>
      <source>The layers analyses made; tick or untick them all here</source>
      <translation>分析生成的图层；在此可一并勾选或取消</translation>
    </message>
    <message>
      <source>Opacity</source>
      <translation>不透明度</translation>
    </message>
    <message>
      <source>Opacity of the current layer</source>
      <translation>当前图层的不透明度</translation>
    </message>
    <message>
      <source>Rename</source>
      <translation>重命名</translation>
    </message>
    <message>
      <source>Zoom to layer</source>
      <translation>缩放至图层</translation>
    </message>
    <message>
      <source>Open attribute table</source>
      <translation>打开属性表</translation>
    </message>
    <message>
      <source>Style…</source>
      <translation>样式…</translation>
    </message>
    <message>
      <source>Properties…</source>
      <translation>属性…</translation>
    </message>
    <message>
      <source>Run again…</source>
      <translation>重新运行…</translation>
    </message>
    <message>
      <source>Open the analysis that made this layer with the same parameters and filter</source>
      <translation>以相同的参数和筛选条件重新打开生成此图层的分析</translation>
    </message>
    <message>
      <source>Remove layer</source>
      <translation>移除图层</translation>
    </message>
    <message>
      <source>Analysis results</source>
      <translation>分析结果</translation>
    </message>
    <message>
      <source>Review address matches…</source>
      <translation>校对地址匹配…</translation>
    </message>
    <message>
      <source>Kind</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Features</source>
      <translation>要素数</translation>
    </message>
    <message>
      <source>Source</source>
      <translation>来源</translation>
    </message>
    <message>
      <source>Cannot be shown</source>
      <translation>无法显示</translation>
    </message>
    <message>
      <source>Cannot rename the layer: {error}</source>
      <translation>无法重命名图层：{error}</translation>
    </message>
    <message>
      <source>Zoom in (Ctrl++ or the mouse wheel)</source>
      <translation>放大（Ctrl++ 或鼠标滚轮）</translation>
    </message>
    <message>
      <source>Zoom out (Ctrl+- or the mouse wheel)</source>
      <translation>缩小（Ctrl+- 或鼠标滚轮）</translation>
    </message>
    <message>
      <source>Show every layer</source>
      <translation>显示全部图层</translation>
    </message>
    <message>
      <source>Show the whole current layer</source>
      <translation>显示当前图层全貌</translation>
    </message>
    <message>
      <source>Show the selected features</source>
      <translation>显示选中的要素</translation>
    </message>
    <message>
      <source>Select nothing</source>
      <translation>取消全部选择</translation>
    </message>
    <message>
      <source>Colours, classes and labels of the current layer</source>
      <translation>当前图层的颜色、分级和标注</translation>
    </message>
    <message>
      <source>Source, coordinate system, reject report and analysis parameters of the current layer</source>
      <translation>当前图层的来源、坐标系、剔除报告和分析参数</translation>
    </message>
    <message>
      <source>Remove the current layer from the project</source>
      <translation>从项目中移除当前图层</translation>
    </message>
    <message>
      <source>Open the attribute table of the current layer</source>
      <translation>打开当前图层的属性表</translation>
    </message>
    <message>
      <source>Version and purpose of gisapp</source>
      <translation>gisapp 的版本和用途</translation>
    </message>
    <message>
      <source>Close gisapp (asks to save changes)</source>
      <translation>关闭 gisapp（会提示保存更改）</translation>
    </message>
    <message>
      <source>How often an unsaved project is copied to the autosave folder</source>
      <translation>未保存项目复制到自动保存文件夹的频率</translation>
    </message>
    <message>
      <source>Results and log</source>
      <translation>结果与日志</translation>
    </message>
    <message>
      <source>Attribute table</source>
      <translation>属性表</translation>
    </message>
    <message>
      <source>gisapp started</source>
      <translation>gisapp 已启动</translation>
    </message>
    <message>
      <source>&amp;New project</source>
      <translation>新建项目(&amp;N)</translation>
    </message>
    <message>
      <source>Start an empty project</source>
      <translation>新建一个空项目</translation>
    </message>
    <message>
      <source>&amp;Open project…</source>
      <translation>打开项目(&amp;O)…</translation>
    </message>
    <message>
      <source>Open a project GeoPackage</source>
      <translation>打开项目 GeoPackage 文件</translation>
    </message>
    <message>
      <source>&amp;Save</source>
      <translation>保存(&amp;S)</translation>
    </message>
    <message>
      <source>Save the project</source>
      <translation>保存项目</translation>
    </message>
    <message>
      <source>Save &amp;as…</source>
      <translation>另存为(&amp;A)…</translation>
    </message>
    <message>
      <source>Save the project under a new name</source>
      <translation>以新名称保存项目</translation>
    </message>
    <message>
      <source>&amp;Add layer…</source>
      <translation>添加图层(&amp;A)…</translation>
    </message>
    <message>
      <source>Add a CSV, Excel, GeoJSON, Shapefile or GeoPackage layer</source>
      <translation>添加 CSV、Excel、GeoJSON、Shapefile 或 GeoPackage 图层</translation>
    </message>
    <message>
      <source>&amp;Export selection…</source>
      <translation>导出所选要素(&amp;E)…</translation>
    </message>
    <message>
      <source>Write the selected features to CSV or GeoPackage</source>
      <translation>将所选要素写入 CSV 或 GeoPackage</translation>
    </message>
    <message>
      <source>Save map &amp;image…</source>
      <translation>保存地图图片(&amp;I)…</translation>
    </message>
    <message>
      <source>Save the map as a PNG image</source>
      <translation>将地图保存为 PNG 图片</translation>
    </message>
    <message>
      <source>&amp;Quit</source>
      <translation>退出(&amp;Q)</translation>
    </message>
    <message>
      <source>Pan</source>
      <translation>平移</translation>
    </message>
    <message>
      <source>Drag to move the map; wheel to zoom</source>
      <translation>拖动移动地图，滚轮缩放</translation>
    </message>
    <message>
      <source>Select</source>
      <translation>选择</translation>
    </message>
    <message>
      <source>Click or drag a box to select features; Ctrl adds</source>
      <translation>单击或拉框选择要素；按住 Ctrl 追加</translation>
    </message>
    <message>
      <source>Click a feature to see its attributes</source>
      <translation>单击要素查看其属性</translation>
    </message>
    <message>
      <source>About gisapp</source>
      <translation>关于 gisapp</translation>
    </message>
    <message>
      <source>Autosave interval…</source>
      <translation>自动保存间隔…</translation>
    </message>
    <message>
      <source>Place the rows address matching left out or was unsure of</source>
      <translation>为地址匹配未定位或把握不大的记录定位</translation>
    </message>
    <message>
      <source>Hour × weekday, monthly trend, Knox table and evaluation curve for the selection</source>
      <translation>选中范围的小时×星期、月度趋势、Knox 表和评估曲线</translation>
    </message>
    <message>
      <source>Export &amp;briefing…</source>
      <translation>导出简报(&amp;B)…</translation>
    </message>
    <message>
      <source>Write an offline HTML briefing of the map</source>
      <translation>生成可离线查看的 HTML 地图简报</translation>
    </message>
    <message>
      <source>&amp;Print map…</source>
      <translation>打印地图(&amp;P)…</translation>
    </message>
    <message>
      <source>Print the hotspot map to PDF or PNG on A4 or A3</source>
      <translation>把热点图打印为 A4 或 A3 的 PDF 或 PNG</translation>
    </message>
    <message>
      <source>&amp;File</source>
      <translation>文件(&amp;F)</translation>
    </message>
    <message>
      <source>Open &amp;recent</source>
      <translation>最近打开(&amp;R)</translation>
    </message>
    <message>
      <source>&amp;Edit</source>
      <translation>编辑(&amp;E)</translation>
    </message>
    <message>
      <source>&amp;Tools</source>
      <translation>工具(&amp;T)</translation>
    </message>
    <message>
      <source>&amp;View</source>
      <translation>视图(&amp;V)</translation>
    </message>
    <message>
      <source>Panels</source>
      <translation>面板</translation>
    </message>
    <message>
      <source>&amp;Layer</source>
      <translation>图层(&amp;L)</translation>
    </message>
    <message>
      <source>&amp;Selection</source>
      <translation>选择(&amp;S)</translation>
    </message>
    <message>
      <source>&amp;Analysis</source>
      <translation>分析(&amp;A)</translation>
    </message>
    <message>
      <source>&amp;Basemap</source>
      <translation>底图(&amp;B)</translation>
    </message>
    <message>
      <source>Se&amp;ttings</source>
      <translation>设置(&amp;T)</translation>
    </message>
    <message>
      <source>Language</source>
      <translation>界面语言</translation>
    </message>
    <message>
      <source>&amp;Help</source>
      <translation>帮助(&amp;H)</translation>
    </message>
    <message>
      <source>Main toolbar</source>
      <translation>主工具栏</translation>
    </message>
    <message>
      <source>Filters</source>
      <translation>筛选</translation>
    </message>
    <message>
      <source>Cursor position in the analysis coordinate system (metres)</source>
      <translation>光标在分析坐标系中的位置（米）</translation>
    </message>
    <message>
      <source>Time the last map drawing took</source>
      <translation>上次绘制地图所用时间</translation>
    </message>
    <message>
      <source>Basemap</source>
      <translation>底图</translation>
    </message>
    <message>
      <source>Basemap loading</source>
      <translation>底图加载中</translation>
    </message>
    <message>
      <source>Basemap offline</source>
      <translation>底图离线</translation>
    </message>
    <message>
      <source>Basemap error</source>
      <translation>底图错误</translation>
    </message>
    <message>
      <source>The project has unsaved changes. Save them?</source>
      <translation>项目有未保存的修改，是否保存？</translation>
    </message>
    <message>
      <source>Open project</source>
      <translation>打开项目</translation>
    </message>
    <message>
      <source>gisapp projects (*.gpkg);;All files (*)</source>
      <translation>gisapp 项目 (*.gpkg);;所有文件 (*)</translation>
    </message>
    <message>
      <source>Save project as</source>
      <translation>项目另存为</translation>
    </message>
    <message>
      <source>gisapp projects (*.gpkg)</source>
      <translation>gisapp 项目 (*.gpkg)</translation>
    </message>
    <message>
      <source>Add layer</source>
      <translation>添加图层</translation>
    </message>
    <message>
      <source>Autosave</source>
      <translation>自动保存</translation>
    </message>
    <message>
      <source>Autosave every (minutes):</source>
      <translation>自动保存间隔（分钟）：</translation>
    </message>
    <message>
      <source>Save map image</source>
      <translation>保存地图图片</translation>
    </message>
    <message>
      <source>No basemap</source>
      <translation>无底图</translation>
    </message>
    <message>
      <source>Project roads and grids</source>
      <translation>项目道路与网格</translation>
    </message>
    <message>
      <source>Local MBTiles file…</source>
      <translation>本地 MBTiles 文件…</translation>
    </message>
    <message>
      <source>XYZ tile server URL…</source>
      <translation>XYZ 瓦片服务地址…</translation>
    </message>
    <message>
      <source>Offline basemap</source>
      <translation>离线底图</translation>
    </message>
    <message>
      <source>New project</source>
      <translation>新建项目</translation>
    </message>
    <message>
      <source>Reading failed: {error}</source>
      <translation>读取失败：{error}</translation>
    </message>
    <message>
      <source>No address-matching result to review: run 地址匹配 first</source>
      <translation>没有可校对的地址匹配结果：请先运行地址匹配</translation>
    </message>
    <message>
      <source>Choose an MBTiles file</source>
      <translation>选择 MBTiles 文件</translation>
    </message>
    <message>
      <source>MBTiles (*.mbtiles)</source>
      <translation>MBTiles (*.mbtiles)</translation>
    </message>
    <message>
      <source>{name} (imported, not saved as a project yet)</source>
      <translation>{name}（已导入，尚未保存为项目）</translation>
    </message>
    <message>
      <source>Lon {lon:.5f}°  Lat {lat:.5f}°</source>
      <translation>经度 {lon:.5f}°  纬度 {lat:.5f}°</translation>
    </message>
    <message>
      <source>Scale 1:{n:,}</source>
      <translation>比例尺 1:{n:,}</translation>
    </message>
    <message>
      <source>{n:,} selected</source>
      <translation>已选 {n:,} 个</translation>
    </message>
    <message>
      <source>{name} is not a gisapp project. Import its {n} layers into a new project?</source>
      <translation>{name} 不是 gisapp 项目。是否将其中的 {n} 个图层导入新项目？</translation>
    </message>
    <message>
      <source>gisapp found an autosaved copy of {name} newer than the project, probably left by a crash. Recover it?</source>
      <translation>gisapp 发现 {name} 有一份比项目更新的自动保存副本，可能是上次异常退出时留下的。要恢复吗？</translation>
    </message>
    <message>
      <source>Cannot save</source>
      <translation>无法保存</translation>
    </message>
    <message>
      <source>Saved {path}</source>
      <translation>已保存 {path}</translation>
    </message>
    <message>
      <source>Layer files ({patterns})</source>
      <translation>图层文件 ({patterns})</translation>
    </message>
    <message>
      <source>Reading {names}…</source>
      <translation>正在读取 {names}…</translation>
    </message>
    <message>
      <source>XYZ tile server</source>
      <translation>XYZ 瓦片服务</translation>
    </message>
    <message>
      <source>Tile URL with {z}, {x} and {y}, e.g. http://tiles.intranet/{z}/{x}/{y}.png</source>
      <translation>含 {z}、{x}、{y} 的瓦片地址，例如 http://tiles.intranet/{z}/{x}/{y}.png</translation>
    </message>
    <message>
      <source>Interface language: {language}</source>
      <translation>界面语言：{language}</translation>
    </message>
    <message>
      <source>gisapp {version}
Crime mapping, hotspot analysis and patrol planning for county public-security analysts.</source>
      <translation>gisapp {version}
面向县级公安机关情报分析人员的警情地图、热点分析与巡逻规划工具。</translation>
    </message>
    <message>
      <source>Imported {name}: {n} layers</source>
      <translation>已导入 {name}：{n} 个图层</translation>
    </message>
    <message>
      <source>Opened {name}: {n} layers</source>
      <translation>已打开 {name}：{n} 个图层</translation>
    </message>
    <message>
      <source>Basemap: {detail}</source>
      <translation>底图：{detail}</translation>
    </message>
    <message>
      <source>(none)</source>
      <translation>（无）</translation>
    </message>
    <message>
      <source>{name}: read with the choices remembered for this export</source>
      <translation>{name}：已按此类导出文件记住的选择读取</translation>
    </message>
    <message>
      <source>Added {name}: {n:,} features</source>
      <translation>已添加 {name}：{n:,} 个要素</translation>
    </message>
    <message>
      <source>Cannot add {name}</source>
      <translation>无法添加 {name}</translation>
    </message>
    <message>
      <source>Layer {name} cannot be shown on the map: {error}</source>
      <translation>图层 {name} 无法在地图上显示：{error}</translation>
    </message>
    <message>
      <source>Remove the layer {name} from the project?</source>
      <translation>从项目中移除图层 {name}？</translation>
    </message>
    <message>
      <source>Filter applied in {ms:.0f} ms</source>
      <translation>筛选用时 {ms:.0f} 毫秒</translation>
    </message>
    <message>
      <source>Autosaved to {path}</source>
      <translation>已自动保存到 {path}</translation>
    </message>
    <message>
      <source>Autosave failed: {error}</source>
      <translation>自动保存失败：{error}</translation>
    </message>
    <message>
      <source>Basemap not available: {error}</source>
      <translation>底图不可用：{error}</translation>
    </message>
    <message>
      <source>Cannot open {name}</source>
      <translation>无法打开 {name}</translation>
    </message>
    <message>
      <source>{name}: {n:,} of {m:,} rows rejected (see Properties ▸ Reject report)</source>
      <translation>{name}：{m:,} 行中有 {n:,} 行被拒绝（见 属性 ▸ 拒绝报告）</translation>
    </message>
    <message>
      <source>Layer {name} has no features.</source>
      <translation>图层 {name} 没有要素。</translation>
    </message>
    <message>
      <source>Case ID</source>
      <translation>案件编号</translation>
    </message>
    <message>
      <source>Grid ID</source>
      <translation>网格编号</translation>
    </message>
    <message>
      <source>Population</source>
      <translation>人口</translation>
    </message>
    <message>
      <source>Camera ID</source>
      <translation>摄像机编号</translation>
    </message>
    <message>
      <source>Type</source>
      <translation>类型</translation>
    </message>
    <message>
      <source>Route ID</source>
      <translation>路线编号</translation>
    </message>
    <message>
      <source>Unit</source>
      <translation>单位</translation>
    </message>
    <message>
      <source>Shift</source>
      <translation>班次</translation>
    </message>
    <message>
      <source>Area ID</source>
      <translation>区域编号</translation>
    </message>
    <message>
      <source>Road class</source>
      <translation>道路等级</translation>
    </message>
    <message>
      <source>Township</source>
      <translation>乡镇</translation>
    </message>
    <message>
      <source>Geometry</source>
      <translation>几何</translation>
    </message>
    <message>
      <source>Incidents (input)</source>
      <translation>警情数（输入）</translation>
    </message>
    <message>
      <source>Cell ID</source>
      <translation>单元编号</translation>
    </message>
    <message>
      <source>Grid row</source>
      <translation>格网行</translation>
    </message>
    <message>
      <source>Grid column</source>
      <translation>格网列</translation>
    </message>
    <message>
      <source>Gi* z-score</source>
      <translation>Gi* z 得分</translation>
    </message>
    <message>
      <source>Gi* p-value</source>
      <translation>Gi* p 值</translation>
    </message>
    <message>
      <source>Gi* permutation p-value</source>
      <translation>Gi* 置换检验 p 值</translation>
    </message>
    <message>
      <source>Gi* confidence bin</source>
      <translation>Gi* 置信分级</translation>
    </message>
    <message>
      <source>Neighbours</source>
      <translation>邻居数</translation>
    </message>
    <message>
      <source>Local Moran's I</source>
      <translation>局部莫兰指数</translation>
    </message>
    <message>
      <source>Moran quadrant</source>
      <translation>莫兰象限</translation>
    </message>
    <message>
      <source>Pseudo p-value</source>
      <translation>伪 p 值</translation>
    </message>
    <message>
      <source>LISA cluster</source>
      <translation>LISA 聚类</translation>
    </message>
    <message>
      <source>LISA class</source>
      <translation>LISA 类别</translation>
    </message>
    <message>
      <source>Cluster</source>
      <translation>聚类</translation>
    </message>
    <message>
      <source>Membership probability</source>
      <translation>隶属概率</translation>
    </message>
    <message>
      <source>Outlier score</source>
      <translation>离群得分</translation>
    </message>
    <message>
      <source>Exemplar</source>
      <translation>代表点</translation>
    </message>
    <message>
      <source>Outlier</source>
      <translation>离群</translation>
    </message>
    <message>
      <source>Hull area (km²)</source>
      <translation>凸包面积（平方公里）</translation>
    </message>
    <message>
      <source>Density (per km²)</source>
      <translation>密度（每平方公里）</translation>
    </message>
    <message>
      <source>Pattern (Chinese)</source>
      <translation>模式（中文）</translation>
    </message>
    <message>
      <source>ArcGIS category code</source>
      <translation>ArcGIS 类别代码</translation>
    </message>
    <message>
      <source>Pattern</source>
      <translation>模式</translation>
    </message>
    <message>
      <source>Trend z</source>
      <translation>趋势 z 值</translation>
    </message>
    <message>
      <source>Trend p-value</source>
      <translation>趋势 p 值</translation>
    </message>
    <message>
      <source>Hot time steps</source>
      <translation>热点时间步数</translation>
    </message>
    <message>
      <source>Cold time steps</source>
      <translation>冷点时间步数</translation>
    </message>
    <message>
      <source>Volume (%)</source>
      <translation>体积（%）</translation>
    </message>
    <message>
      <source>Label</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Density from (per km²)</source>
      <translation>密度下限（每平方公里）</translation>
    </message>
    <message>
      <source>Density to (per km²)</source>
      <translation>密度上限（每平方公里）</translation>
    </message>
    <message>
      <source>Area (km²)</source>
      <translation>面积（平方公里）</translation>
    </message>
    <message>
      <source>Rank</source>
      <translation>排名</translation>
    </message>
    <message>
      <source>Incidents seen</source>
      <translation>被看到的警情</translation>
    </message>
    <message>
      <source>Incidents not seen</source>
      <translation>未被看到的警情</translation>
    </message>
    <message>
      <source>Share seen</source>
      <translation>被看到比例</translation>
    </message>
    <message>
      <source>Area share covered</source>
      <translation>面积覆盖比例</translation>
    </message>
    <message>
      <source>Nearest road</source>
      <translation>最近道路</translation>
    </message>
    <message>
      <source>Nearest camera (m)</source>
      <translation>最近摄像头（米）</translation>
    </message>
    <message>
      <source>Order</source>
      <translation>顺序</translation>
    </message>
    <message>
      <source>Site ID</source>
      <translation>点位编号</translation>
    </message>
    <message>
      <source>Road</source>
      <translation>道路</translation>
    </message>
    <message>
      <source>Incidents gained</source>
      <translation>新增看到的警情</translation>
    </message>
    <message>
      <source>Cumulative share seen</source>
      <translation>累计看到比例</translation>
    </message>
    <message>
      <source>Seen only by this site</source>
      <translation>仅此点位看到</translation>
    </message>
    <message>
      <source>Longitude</source>
      <translation>经度</translation>
    </message>
    <message>
      <source>Latitude</source>
      <translation>纬度</translation>
    </message>
    <message>
      <source>Tour</source>
      <translation>路线</translation>
    </message>
    <message>
      <source>Minutes</source>
      <translation>分钟</translation>
    </message>
    <message>
      <source>Travel minutes</source>
      <translation>行驶分钟</translation>
    </message>
    <message>
      <source>Stops</source>
      <translation>停靠点数</translation>
    </message>
    <message>
      <source>Value</source>
      <translation>值</translation>
    </message>
    <message>
      <source>Value per minute</source>
      <translation>每分钟价值</translation>
    </message>
    <message>
      <source>Length (km)</source>
      <translation>长度（公里）</translation>
    </message>
    <message>
      <source>Minutes from previous stop</source>
      <translation>距上一停靠点（分钟）</translation>
    </message>
    <message>
      <source>Arrival (minute)</source>
      <translation>到达时间（分钟）</translation>
    </message>
    <message>
      <source>Grid cells</source>
      <translation>网格</translation>
    </message>
    <message>
      <source>Standard addresses</source>
      <translation>标准地址</translation>
    </message>
    <message>
      <source>Police stations</source>
      <translation>派出所</translation>
    </message>
    <message>
      <source>Analysis result</source>
      <translation>分析结果</translation>
    </message>
    <message>
      <source>General</source>
      <translation>常规</translation>
    </message>
    <message>
      <source>none</source>
      <translation>无</translation>
    </message>
    <message>
      <source>Parameters</source>
      <translation>参数</translation>
    </message>
    <message>
      <source>Columns</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>Bounds</source>
      <translation>范围</translation>
    </message>
    <message>
      <source>Properties — {name}</source>
      <translation>属性 — {name}</translation>
    </message>
    <message>
      <source>(made in gisapp)</source>
      <translation>（在 gisapp 中生成）</translation>
    </message>
    <message>
      <source>Rows read / loaded / rejected</source>
      <translation>读取 / 载入 / 拒绝 行数</translation>
    </message>
    <message>
      <source>Corrected rows (loaded after a repair)</source>
      <translation>已修正的行（修复后载入）</translation>
    </message>
    <message>
      <source>Reject report ({n})</source>
      <translation>拒绝报告（{n}）</translation>
    </message>
    <message>
      <source>Time range</source>
      <translation>时间范围</translation>
    </message>
    <message>
      <source>{rejected:,} of {read:,} rows were rejected; every rejected row is listed with its reason.</source>
      <translation>{read:,} 行中有 {rejected:,} 行被拒绝；下表列出每一行及其原因。</translation>
    </message>
    <message>
      <source>Results</source>
      <translation>分析结果</translation>
    </message>
    <message>
      <source>Log</source>
      <translation>日志</translation>
    </message>
    <message>
      <source>Result</source>
      <translation>结果</translation>
    </message>
    <message>
      <source>Field</source>
      <translation>字段</translation>
    </message>
    <message>
      <source>No analysis results yet</source>
      <translation>暂无分析结果</translation>
    </message>
    <message>
      <source>Nothing here</source>
      <translation>此处没有要素</translation>
    </message>
    <message>
      <source>row {n}</source>
      <translation>第 {n} 行</translation>
    </message>
    <message>
      <source>Single symbol</source>
      <translation>单一符号</translation>
    </message>
    <message>
      <source>Categorized</source>
      <translation>分类</translation>
    </message>
    <message>
      <source>Graduated</source>
      <translation>分级</translation>
    </message>
    <message>
      <source>Camera sectors</source>
      <translation>摄像机扇区</translation>
    </message>
    <message>
      <source>Quantiles</source>
      <translation>分位数</translation>
    </message>
    <message>
      <source>Equal intervals</source>
      <translation>等间距</translation>
    </message>
    <message>
      <source>Choose a colour</source>
      <translation>选择颜色</translation>
    </message>
    <message>
      <source>Gi* hot and cold spots (7 classes, 90/95/99%)</source>
      <translation>Gi* 热点与冷点（7 级，90/95/99%）</translation>
    </message>
    <message>
      <source>(no labels)</source>
      <translation>（无标注）</translation>
    </message>
    <message>
      <source>Symbology</source>
      <translation>符号化方式</translation>
    </message>
    <message>
      <source>Colour</source>
      <translation>颜色</translation>
    </message>
    <message>
      <source>Classes</source>
      <translation>分级</translation>
    </message>
    <message>
      <source>No fill</source>
      <translation>无填充</translation>
    </message>
    <message>
      <source>Point size</source>
      <translation>点大小</translation>
    </message>
    <message>
      <source>Line width</source>
      <translation>线宽</translation>
    </message>
    <message>
      <source>Labels</source>
      <translation>标注</translation>
    </message>
    <message>
      <source>Legend preview</source>
      <translation>图例预览</translation>
    </message>
    <message>
      <source>Style — {name}</source>
      <translation>样式 — {name}</translation>
    </message>
    <message>
      <source>Fill</source>
      <translation>填充</translation>
    </message>
    <message>
      <source>Hot spot, 99% confidence</source>
      <translation>热点（99% 置信度）</translation>
    </message>
    <message>
      <source>Hot spot, 95% confidence</source>
      <translation>热点（95% 置信度）</translation>
    </message>
    <message>
      <source>Hot spot, 90% confidence</source>
      <translation>热点（90% 置信度）</translation>
    </message>
    <message>
      <source>Not significant</source>
      <translation>不显著</translation>
    </message>
    <message>
      <source>Cold spot, 90% confidence</source>
      <translation>冷点（90% 置信度）</translation>
    </message>
    <message>
      <source>Cold spot, 95% confidence</source>
      <translation>冷点（95% 置信度）</translation>
    </message>
    <message>
      <source>Cold spot, 99% confidence</source>
      <translation>冷点（99% 置信度）</translation>
    </message>
    <message>
      <source>market</source>
      <translation>市场</translation>
    </message>
    <message>
      <source>urban_fringe</source>
      <translation>城乡结合部</translation>
    </message>
    <message>
      <source>school</source>
      <translation>学校</translation>
    </message>
    <message>
      <source>business</source>
      <translation>商业区</translation>
    </message>
    <message>
      <source>plaza</source>
      <translation>广场</translation>
    </message>
    <message>
      <source>residential</source>
      <translation>居民区</translation>
    </message>
    <message>
      <source>station</source>
      <translation>车站</translation>
    </message>
    <message>
      <source>dome</source>
      <translation>球机</translation>
    </message>
    <message>
      <source>fixed</source>
      <translation>枪机</translation>
    </message>
    <message>
      <source>checkpoint</source>
      <translation>卡口</translation>
    </message>
    <message>
      <source>online</source>
      <translation>在线</translation>
    </message>
    <message>
      <source>offline</source>
      <translation>离线</translation>
    </message>
    <message>
      <source>Fixed (枪机)</source>
      <translation>枪机</translation>
    </message>
    <message>
      <source>Dome (球机)</source>
      <translation>球机</translation>
    </message>
    <message>
      <source>Checkpoint (卡口)</source>
      <translation>卡口</translation>
    </message>
    <message>
      <source>Camera: click to place, drag to set the heading; drag from an existing camera to re-aim it; Esc cancels</source>
      <translation>摄像头：单击放置，拖动设置朝向；从已有摄像头拖动可调整朝向；Esc 取消</translation>
    </message>
    <message>
      <source>Dome cameras see all around; fixed and checkpoint cameras see a sector</source>
      <translation>球机全向覆盖；枪机和卡口覆盖扇形</translation>
    </message>
    <message>
      <source>Field of view: the opening angle of the sector</source>
      <translation>视场角：扇形的张角</translation>
    </message>
    <message>
      <source>How far the camera sees usefully (faces, plates)</source>
      <translation>摄像头有效可视距离（人脸、车牌）</translation>
    </message>
    <message>
      <source>Field of view</source>
      <translation>视场角</translation>
    </message>
    <message>
      <source>Range</source>
      <translation>可视距离</translation>
    </message>
    <message>
      <source>(next placed)</source>
      <translation>（下一个放置的）</translation>
    </message>
    <message>
      <source>Edit camera</source>
      <translation>编辑摄像头</translation>
    </message>
    <message>
      <source>New camera {n}</source>
      <translation>新摄像头 {n}</translation>
    </message>
    <message>
      <source>Heading {deg:.0f}°</source>
      <translation>朝向 {deg:.0f}°</translation>
    </message>
    <message>
      <source>Aim camera</source>
      <translation>调整摄像头朝向</translation>
    </message>
    <message>
      <source>Measure: click points, double-click to finish; with three or more points the area is shown too</source>
      <translation>量算：单击加点，双击结束；三个及以上点时同时显示面积</translation>
    </message>
    <message>
      <source>Distance {length}</source>
      <translation>距离 {length}</translation>
    </message>
    <message>
      <source>Area {area}</source>
      <translation>面积 {area}</translation>
    </message>
    <message>
      <source>Route: click to add vertices, double-click to finish; drag a vertex to move it, right-click to delete it; Esc cancels</source>
      <translation>路线：单击添加节点，双击结束；拖动节点可移动，右键删除；Esc 取消</translation>
    </message>
    <message>
      <source>Area: click the corners, double-click to close the polygon; Esc cancels</source>
      <translation>区域：单击各角点，双击闭合多边形；Esc 取消</translation>
    </message>
    <message>
      <source>Delete vertex</source>
      <translation>删除节点</translation>
    </message>
    <message>
      <source>Draw route</source>
      <translation>绘制路线</translation>
    </message>
    <message>
      <source>Too few vertices: nothing was added.</source>
      <translation>节点太少：未添加要素。</translation>
    </message>
    <message>
      <source>Length {length}</source>
      <translation>长度 {length}</translation>
    </message>
    <message>
      <source>Length {length}, about {minutes:.0f} min at {speed:g} km/h</source>
      <translation>长度 {length}，按 {speed:g} 公里/小时约 {minutes:.0f} 分钟</translation>
    </message>
    <message>
      <source>Area {area}, perimeter {length}</source>
      <translation>面积 {area}，周长 {length}</translation>
    </message>
    <message>
      <source>Move vertex</source>
      <translation>移动节点</translation>
    </message>
    <message>
      <source>New route {n}</source>
      <translation>新巡逻路线 {n}</translation>
    </message>
    <message>
      <source>New area {n}</source>
      <translation>新区域 {n}</translation>
    </message>
    <message>
      <source>A feature needs at least {n} vertices.</source>
      <translation>要素至少需要 {n} 个节点。</translation>
    </message>
  </context>
</TS>
